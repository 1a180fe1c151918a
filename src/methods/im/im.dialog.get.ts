import { dialogView } from '../../domain/dialog-view.ts';
import { defineMethod } from '../define.ts';
import { requireDialogAccess } from './dialog-access.ts';

/**
 * b24restdocs api-reference/chats/im-dialog-get.md: the chat of DIALOG_ID as the caller sees it (the shape of
 * imbot.dialog.get). A user's id opens the private dialog with them on first use.
 */
export default defineMethod({
  name: 'im.dialog.get',
  scope: 'im',
  params: {},
  async handler({ caller, raw }, services) {
    const { domain } = services;
    const { live, viewer, chat } = await requireDialogAccess(raw, caller, services);
    return dialogView(domain.chats, domain.users, {
      chat,
      viewerId: viewer.id,
      dialogId: String(raw.DIALOG_ID ?? `chat${chat.id}`),
      origin: live.origin,
    });
  },
});
