import type { ChatRow } from '../../domain/chats.ts';
import type { UserRow } from '../../domain/user-row.ts';
import { ApiError } from '../../wire/errors.ts';
import type { Services } from '../define.ts';

/**
 * The chat of a dialogId for the calling user (im.v2 files pages): no such chat or person → CHAT_NOT_FOUND; a chat
 * the user is not in → ACCESS_DENIED. A private dialog is opened on first use.
 */
export async function userDialog(services: Services, user: UserRow, dialogId: string): Promise<ChatRow> {
  const { domain } = services;
  const outcome = await domain.dialogs.resolve(user.id, dialogId);
  if (outcome.status === 'not-member') throw new ApiError('ACCESS_DENIED', 'Access denied');
  if (outcome.status !== 'found') throw new ApiError('CHAT_NOT_FOUND');
  return domain.messenger.chatOf(user, outcome.dialog);
}
