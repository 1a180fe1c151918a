import type { Bot } from '../../domain/bots.ts';
import { ApiError } from '../../wire/errors.ts';
import type { Services } from '../define.ts';
import { messengerLive } from '../im/messenger-live.ts';
import { accessDenied } from './v2-bot-context.ts';
import { groupChat } from './v2-chat.ts';

/**
 * Chat.Manager.add / delete (b24restdocs chat-bots-v2/imbot.v2/chats/chat-manager-*.md): only the owner manages
 * managers (ACCESS_DENIED); no ids → EMPTY_USER_IDS; ids of non-members are ignored without an error (chats/index.md).
 */
export async function setManagers(
  services: Services,
  bot: Bot,
  dialogId: string,
  userIds: number[] | undefined,
  isManager: boolean,
): Promise<{ result: true }> {
  if (!userIds?.length) throw new ApiError('EMPTY_USER_IDS');
  const { chat } = await groupChat(services, bot, dialogId);
  if (chat.owner_id !== bot.id) throw accessDenied();
  const managers = new Map(userIds.map((id) => [id, isManager]));
  await services.domain.groupChats.setManagers({ chat, managers, live: messengerLive(services) });
  return { result: true };
}
