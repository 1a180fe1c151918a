import type { Caller } from '../../domain/caller.ts';
import { dialogView } from '../../domain/dialog-view.ts';
import type { Params } from '../../wire/params/nest.ts';
import type { Services } from '../define.ts';
import { requireDialogAccess } from './dialog-access.ts';
import { type DialogForm, dialogRef } from './im-dialog.ts';

/** The chat of a dialog as the caller sees it (the shape of imbot.dialog.get): im.dialog.get, im.chat.get. */
export async function imDialogView(services: Services, caller: Caller, raw: Params, form: DialogForm) {
  const { domain } = services;
  const { live, viewer, chat } = await requireDialogAccess(dialogRef(raw, form), caller, services);
  return dialogView(domain.chats, domain.users, {
    chat,
    viewerId: viewer.id,
    dialogId: String(raw.DIALOG_ID ?? `chat${chat.id}`),
    origin: live.origin,
  });
}
