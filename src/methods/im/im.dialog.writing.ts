import { fullName } from '../../domain/users.ts';
import { fail } from '../../wire/errors.ts';
import { defineMethod } from '../define.ts';
import { dialogRef } from './im-dialog.ts';

/**
 * b24restdocs api-reference/chats/messages/im-dialog-writing.md: "User is typing…" for the caller, the same typing
 * state imbot.chat.sendTyping keeps for bots. Invalid DIALOG_ID → DIALOG_ID_EMPTY; a dialog the caller is not in,
 * or neither DIALOG_ID nor CHAT_ID (CIMRestService::dialogWriting hands StartWriting no dialog, which fails) →
 * ACCESS_ERROR "Action unavailable", the wording of this page.
 */
export default defineMethod({
  name: 'im.dialog.writing',
  scope: 'im',
  params: {},
  async handler({ caller, raw }, { domain }) {
    if ((raw.DIALOG_ID ?? null) === null && (raw.CHAT_ID ?? null) === null) throw fail('ACCESS_ERROR');
    const ref = dialogRef(raw, 'dialog-first');
    const user = await domain.users.require(caller.userId);
    const outcome = await domain.dialogs.resolve(user.id, ref);
    if (outcome.status !== 'found') throw fail('ACCESS_ERROR');
    const { dialog } = outcome;
    await domain.typing.start({
      place: dialog.place,
      userId: user.id,
      userName: fullName(user),
      participants: dialog.participants,
    });
    return true;
  },
});
