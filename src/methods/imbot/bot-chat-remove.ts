import type { Bot } from '../../domain/bots.ts';
import { can, roleOf } from '../../domain/chat-rules.ts';
import { ApiError } from '../../wire/errors.ts';
import type { Services } from '../define.ts';
import { messengerLive } from '../im/messenger-live.ts';
import { botChat, type ChatFailures } from './bot-chat.ts';

// CIMRestService::chatUserDelete's wording for whatever CIMChat::DeleteUser refuses
const NO_ACCESS = "You don't have access or user isn't member in chat";

/**
 * CIMChat::DeleteUser as a bot: imbot.chat.leave and imbot.chat.user.delete are one function of the platform
 * (CIMRestService::chatUserDelete), which removes USER_ID when it is above 0 and the bot itself otherwise. Removing
 * someone else needs the owner or a manager (manage_users_delete); the owner is never removed (ACCESS_ERROR
 * LEAVE_OWNER_FORBIDDEN). `failures` word a missing chat and a bot outside it as each method's page does.
 */
export async function botRemovesMember(
  services: Services,
  bot: Bot,
  chatId: number,
  userId: number,
  failures: ChatFailures,
): Promise<true> {
  const { domain } = services;
  const { chat, member } = await botChat(domain, bot.id, chatId, failures);
  if (userId !== bot.id) {
    if (!can(roleOf(chat, member), 'manage_users_delete')) throw new ApiError('WRONG_REQUEST', NO_ACCESS);
    if (!(await domain.chats.isMember(chat.id, userId))) throw new ApiError('WRONG_REQUEST', NO_ACCESS);
  }
  if (userId === chat.owner_id) throw new ApiError('ACCESS_ERROR', 'LEAVE_OWNER_FORBIDDEN');
  const removed = await domain.groupChats.removeMember({
    actor: bot.user,
    chat,
    userId,
    live: messengerLive(services),
  });
  if (!removed) throw new ApiError('WRONG_REQUEST', NO_ACCESS);
  return true;
}
