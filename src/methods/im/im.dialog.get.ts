import { defineMethod } from '../define.ts';
import { imDialogView } from './im-dialog-view.ts';

/**
 * b24restdocs api-reference/chats/im-dialog-get.md: the chat of DIALOG_ID as the caller sees it (the shape of
 * imbot.dialog.get). A user's id opens the private dialog with them on first use. DIALOG_ID only: CHAT_ID is not
 * read (CIMRestService::dialogGet).
 */
export default defineMethod({
  name: 'im.dialog.get',
  scope: 'im',
  params: {},
  handler: ({ caller, raw }, services) => imDialogView(services, caller, raw, 'dialog'),
});
