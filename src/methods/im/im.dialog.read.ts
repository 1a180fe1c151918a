import { chatDialogId } from '../../domain/dialog-id.ts';
import { defineMethod } from '../define.ts';
import { dialogAccess } from './dialog-access.ts';
import { dialogRef } from './im-dialog.ts';
import { intval } from './php-int.ts';

/**
 * b24restdocs api-reference/chats/messages/im-dialog-read.md: marks the dialog read up to MESSAGE_ID (LAST_ID in
 * older clients), or entirely. The mark only moves forward. Answers `{dialogId, chatId, lastId, counter}`, or
 * `false` when the caller is not in the dialog. DIALOG_ID `notify` (exactly) marks the notifications read and
 * answers `true`, as CIMRestService::dialogRead and Dialog::read do; b24-local has none to mark.
 */
export default defineMethod({
  name: 'im.dialog.read',
  scope: 'im',
  params: {},
  async handler({ caller, raw }, services) {
    const { domain } = services;
    if (raw.DIALOG_ID === 'notify') return true;
    const { ref, live, viewer: reader, chat } = await dialogAccess(dialogRef(raw, 'dialog'), caller, services);
    // LAST_ID, when given, stands for MESSAGE_ID (CIMRestService::dialogRead)
    const upTo = intval(raw.LAST_ID ?? raw.MESSAGE_ID);
    const state = chat && (await domain.messenger.read(reader, chat, upTo > 0 ? upTo : undefined, live));
    if (!chat || !state) return false;
    return {
      dialogId: ref.kind === 'user' ? String(ref.userId) : chatDialogId(chat.id),
      chatId: chat.id,
      lastId: state.lastId,
      counter: state.counter,
    };
  },
});
