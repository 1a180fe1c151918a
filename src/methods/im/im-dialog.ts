import { type DialogRef, parseDialogId } from '../../domain/dialog-id.ts';
import { fail } from '../../wire/errors.ts';
import { intval } from './php-int.ts';

/**
 * DIALOG_ID of the im.dialog.* methods, or CHAT_ID instead of `chat{CHAT_ID}` as the im module allows: an invalid
 * DIALOG_ID is DIALOG_ID_EMPTY (im.dialog.writing), a CHAT_ID that is no id CHAT_ID_EMPTY.
 */
export function dialogRef(raw: Record<string, unknown>): DialogRef {
  if (raw.DIALOG_ID === undefined && raw.CHAT_ID !== undefined) {
    const chatId = intval(raw.CHAT_ID);
    if (chatId <= 0) throw fail('CHAT_ID_EMPTY');
    return { kind: 'chat', chatId };
  }
  const value = raw.DIALOG_ID;
  return parseDialogId(typeof value === 'string' || typeof value === 'number' ? value : undefined);
}
