import { ApiError } from '../wire/errors.ts';
import type { ChatRow, Chats } from './chats.ts';
import type { DialogRef } from './dialog-id.ts';
import type { TypingPlace } from './typing.ts';
import type { Users } from './users.ts';

export interface OpenedDialog {
  place: TypingPlace;
  /** Everyone in the dialog, the viewer included. */
  participants: number[];
  chat?: ChatRow;
}

const NO_ACCESS = 'You do not have access to the specified dialog';

/**
 * A dialog as one participant sees it. Unknown chats, chats the viewer is not a member of, unknown or inactive
 * users, and a dialog with oneself are all ACCESS_ERROR (403), as im.dialog.writing documents (docs/decisions.md).
 */
export async function openDialog(chats: Chats, users: Users, viewerId: number, ref: DialogRef): Promise<OpenedDialog> {
  if (ref.kind === 'chat') {
    const chat = await chats.get(ref.chatId);
    if (!chat) throw new ApiError('ACCESS_ERROR', NO_ACCESS);
    const participants = await chats.members(chat.id);
    if (!participants.includes(viewerId)) throw new ApiError('ACCESS_ERROR', NO_ACCESS);
    if (chat.type === 'P') {
      const other = participants.find((id) => id !== viewerId) ?? viewerId;
      return { place: { kind: 'private', userA: viewerId, userB: other }, participants, chat };
    }
    return { place: { kind: 'chat', chatId: chat.id }, participants, chat };
  }
  if (ref.userId === viewerId) throw new ApiError('ACCESS_ERROR', NO_ACCESS);
  const other = await users.get(ref.userId);
  if (!other?.active) throw new ApiError('ACCESS_ERROR', NO_ACCESS);
  return { place: { kind: 'private', userA: viewerId, userB: other.id }, participants: [viewerId, other.id] };
}
