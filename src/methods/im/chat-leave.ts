import { can, roleOf } from '../../domain/chat-rules.ts';
import { ApiError } from '../../wire/errors.ts';
import type { Services } from '../define.ts';
import { messengerLive } from './messenger-live.ts';

/**
 * im.chat.leave and im.chat.user.delete are one function of the im module (CIMRestService::chatUserDelete): a
 * private dialog → ACCESS_ERROR "It is forbidden to delete users of this chat"; removing someone else needs the
 * owner or a manager (manage_users_delete); the owner never leaves (ACCESS_ERROR LEAVE_OWNER_FORBIDDEN, as
 * CIMChat::DeleteUser says); anything else CIMChat::DeleteUser refuses → WRONG_REQUEST.
 */
export async function removeFromChat(services: Services, callerId: number, chatId: number, userId: number) {
  const { domain } = services;
  const chat = await domain.chats.get(chatId);
  if (chat?.type === 'P') throw new ApiError('ACCESS_ERROR', 'It is forbidden to delete users of this chat');
  const actor = await domain.users.require(callerId);
  const refused = new ApiError('WRONG_REQUEST', "You don't have access or user isn't member in chat");
  const member = chat && (await domain.chats.member(chat.id, actor.id));
  if (!chat || !member) throw refused;
  if (userId !== actor.id && !can(roleOf(chat, member), 'manage_users_delete')) throw refused;
  if (userId === chat.owner_id) throw new ApiError('ACCESS_ERROR', 'LEAVE_OWNER_FORBIDDEN');
  if (!(await domain.groupChats.removeMember({ actor, chat, userId, live: messengerLive(services) }))) throw refused;
  return true;
}
