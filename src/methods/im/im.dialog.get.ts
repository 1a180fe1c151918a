import { dialogView } from '../../domain/dialog-view.ts';
import { ApiError } from '../../http/errors.ts';
import { defineMethod } from '../define.ts';
import { dialogRef } from './im-dialog.ts';
import { messengerLive } from './messenger-live.ts';

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
    const ref = dialogRef(raw);
    const live = messengerLive(services);
    const viewer = await domain.users.require(caller.userId);
    const chat = await domain.messenger.readable(viewer, ref, live);
    if (!chat) throw new ApiError('ACCESS_ERROR', 'You do not have access to the specified dialog');
    return dialogView(domain.chats, domain.users, {
      chat,
      viewerId: viewer.id,
      dialogId: String(raw.DIALOG_ID ?? `chat${chat.id}`),
      origin: live.origin,
    });
  },
});
