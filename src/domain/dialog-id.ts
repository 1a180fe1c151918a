import { ApiError } from '../wire/errors.ts';

export type DialogRef = { kind: 'chat'; chatId: number } | { kind: 'user'; userId: number };

/**
 * `123` is the private dialog with user 123, `chat45` group chat 45 (b24restdocs imbot.chat.sendTyping).
 * Anything else is treated like an empty id, as im.dialog.writing documents for an invalid DIALOG_ID.
 */
export function parseDialogId(raw: string | number | undefined): DialogRef {
  const value = String(raw ?? '').trim();
  let match = /^chat(\d{1,9})$/i.exec(value);
  if (match && Number(match[1]) > 0) return { kind: 'chat', chatId: Number(match[1]) };
  match = /^(\d{1,9})$/.exec(value);
  if (match && Number(match[1]) > 0) return { kind: 'user', userId: Number(match[1]) };
  throw new ApiError('DIALOG_ID_EMPTY');
}

export function chatDialogId(chatId: number): string {
  return `chat${chatId}`;
}
