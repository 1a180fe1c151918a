import { type DialogRef, parseDialogId } from '../../domain/dialog-id.ts';
import { fail } from '../../wire/errors.ts';
import { intval } from './php-int.ts';

/**
 * How an im.dialog.* method names its dialog, as CIMRestService reads it:
 * - `dialog`: DIALOG_ID only (dialogGet, dialogRead); a CHAT_ID is not read.
 * - `chat-first`: a CHAT_ID above 0 (intval) wins as `chat{CHAT_ID}`, else DIALOG_ID (dialogMessagesGet).
 * - `dialog-first`: DIALOG_ID when given, else CHAT_ID, whose intval not above 0 is CHAT_ID_EMPTY (dialogWriting).
 * A DIALOG_ID that is no dialog id is DIALOG_ID_EMPTY.
 */
export type DialogForm = 'dialog' | 'chat-first' | 'dialog-first';

export function dialogRef(raw: Record<string, unknown>, form: DialogForm): DialogRef {
  const given = (value: unknown) => value !== undefined && value !== null;
  if (form === 'chat-first' && intval(raw.CHAT_ID) > 0) return { kind: 'chat', chatId: intval(raw.CHAT_ID) };
  if (form === 'dialog-first' && !given(raw.DIALOG_ID) && given(raw.CHAT_ID)) {
    const chatId = intval(raw.CHAT_ID);
    if (chatId <= 0) throw fail('CHAT_ID_EMPTY');
    return { kind: 'chat', chatId };
  }
  const value = raw.DIALOG_ID;
  return parseDialogId(typeof value === 'string' || typeof value === 'number' ? value : undefined);
}
