import type { Bot } from '../../domain/bots.ts';
import { ApiError } from '../../wire/errors.ts';
import type { Services } from '../define.ts';
import { messengerLive } from '../im/messenger-live.ts';
import { botChat } from './bot-chat.ts';

// CIMRestService::chatUserDelete's wording for whatever CIMChat::DeleteUser refuses
const NO_ACCESS = "You don't have access or user isn't member in chat";

/**
 * CIMChat::DeleteUser as a bot: imbot.chat.leave and imbot.chat.user.delete are one function of the platform
 * (CIMRestService::chatUserDelete), which removes USER_ID when it is above 0 and the bot itself otherwise. Only the
 * owner removes someone else (the newest DeleteUser refuses anyone but the chat's author, IM_ERROR_KICK, managers
 * too); the owner is never removed (ACCESS_ERROR LEAVE_OWNER_FORBIDDEN). An unknown chat, one the bot is not in, or
 * a user not in it → WRONG_REQUEST, the one answer chatUserDelete gives for every other refusal of DeleteUser.
 */
export async function botRemovesMember(services: Services, bot: Bot, chatId: number, userId: number): Promise<true> {
  const { domain } = services;
  const { chat } = await botChat(domain, bot.id, chatId, { notMember: ['WRONG_REQUEST', NO_ACCESS] });
  if (userId !== bot.id) {
    if (chat.owner_id !== bot.id) throw new ApiError('WRONG_REQUEST', NO_ACCESS);
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
