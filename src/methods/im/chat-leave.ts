import { ApiError } from '../../wire/errors.ts';
import type { Params } from '../../wire/params/nest.ts';
import type { Services } from '../define.ts';
import { chatIdParam, refusedInPrivate } from '../imbot/bot-chat.ts';
import { messengerLive } from './messenger-live.ts';

/**
 * CHAT_ID of im.chat.leave and im.chat.user.delete, one function of the im module (CIMRestService::chatUserDelete):
 * intval → CHAT_ID_EMPTY, then a private dialog → ACCESS_ERROR "It is forbidden to delete users of this chat",
 * both before USER_ID is looked at.
 */
export async function leavableChatId(services: Services, raw: Params): Promise<number> {
  const chatId = chatIdParam(raw);
  await refusedInPrivate(services.domain, chatId, ['ACCESS_ERROR', 'It is forbidden to delete users of this chat']);
  return chatId;
}

/**
 * CIMChat::DeleteUser as the caller: only the owner removes someone else (the newest DeleteUser refuses anyone but
 * the chat's author, IM_ERROR_KICK, managers too); the owner never leaves (ACCESS_ERROR LEAVE_OWNER_FORBIDDEN, as CIMChat::DeleteUser says); anything else it refuses →
 * WRONG_REQUEST.
 */
export async function removeFromChat(services: Services, callerId: number, chatId: number, userId: number) {
  const { domain } = services;
  const chat = await domain.chats.get(chatId);
  const actor = await domain.users.require(callerId);
  const refused = new ApiError('WRONG_REQUEST', "You don't have access or user isn't member in chat");
  const member = chat && (await domain.chats.member(chat.id, actor.id));
  if (!chat || !member) throw refused;
  if (userId !== actor.id && chat.owner_id !== actor.id) throw refused;
  if (userId === chat.owner_id) throw new ApiError('ACCESS_ERROR', 'LEAVE_OWNER_FORBIDDEN');
  if (!(await domain.groupChats.removeMember({ actor, chat, userId, live: messengerLive(services) }))) throw refused;
  return true;
}
