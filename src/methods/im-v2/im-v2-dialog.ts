import type { ChatRow } from '../../domain/chats.ts';
import { parseDialogId } from '../../domain/dialog-id.ts';
import type { UserRow } from '../../domain/user-row.ts';
import { ApiError } from '../../wire/errors.ts';
import type { Services } from '../define.ts';
import { messengerLive } from '../im/messenger-live.ts';

/**
 * The chat of a dialogId for the calling user (im.v2 files pages): no such chat or person → CHAT_NOT_FOUND; a chat
 * the user is not in → ACCESS_DENIED. A private dialog is opened on first use.
 */
export async function userDialog(services: Services, user: UserRow, dialogId: string): Promise<ChatRow> {
  const { domain } = services;
  let ref: ReturnType<typeof parseDialogId>;
  try {
    ref = parseDialogId(dialogId);
  } catch {
    throw new ApiError('CHAT_NOT_FOUND');
  }
  if (ref.kind === 'user') {
    const peer = ref.userId === user.id ? undefined : await domain.users.get(ref.userId);
    if (!peer?.active) throw new ApiError('CHAT_NOT_FOUND');
    return domain.messenger.openPrivate(user, peer, messengerLive(services));
  }
  const chat = await domain.chats.get(ref.chatId);
  if (!chat) throw new ApiError('CHAT_NOT_FOUND');
  if (!(await domain.chats.isMember(chat.id, user.id))) throw new ApiError('ACCESS_DENIED', 'Access denied');
  return chat;
}
