import { ApiError } from '../wire/errors.ts';

export type DialogRef = { kind: 'chat'; chatId: number } | { kind: 'user'; userId: number };

/**
 * `123` is the private dialog with user 123, `chat45` group chat 45; anything else (a list or an object too) is no
 * dialog id (undefined).
 */
export function readDialogId(raw: unknown): DialogRef | undefined {
  const value = typeof raw === 'string' || typeof raw === 'number' ? String(raw).trim() : '';
  let match = /^chat(\d{1,9})$/i.exec(value);
  if (match && Number(match[1]) > 0) return { kind: 'chat', chatId: Number(match[1]) };
  match = /^(\d{1,9})$/.exec(value);
  if (match && Number(match[1]) > 0) return { kind: 'user', userId: Number(match[1]) };
  return undefined;
}

/**
 * readDialogId for the v1 methods (b24restdocs imbot.chat.sendTyping): an id that is no dialog id is treated like
 * an empty one, as im.dialog.writing documents for an invalid DIALOG_ID.
 */
export function parseDialogId(raw: unknown): DialogRef {
  const ref = readDialogId(raw);
  if (!ref) throw new ApiError('DIALOG_ID_EMPTY');
  return ref;
}

export function chatDialogId(chatId: number): string {
  return `chat${chatId}`;
}

/**
 * The dialog id by which `viewerId` knows a chat: `chat{id}`, or in a private chat the other member's id.
 * `members` are the chat's members; a caller that knows who the other one is may pass just them.
 */
export function dialogIdFor(chat: { id: number; type: string }, viewerId: number, members: readonly number[]): string {
  if (chat.type !== 'P') return chatDialogId(chat.id);
  return String(members.find((id) => id !== viewerId) ?? viewerId);
}
