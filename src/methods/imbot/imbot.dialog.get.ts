import { p } from '../../wire/params/coerce.ts';
import { defineMethod } from '../define.ts';
import { botDialogView } from './bot-dialog-view.ts';

/**
 * b24restdocs api-reference/chat-bots/outdated/chats/imbot-dialog-get.md (fields: outdated/chats/fields.md): the
 * chat as the calling user sees it (botDialogView). Missing or malformed DIALOG_ID → DIALOG_ID_EMPTY.
 */
export default defineMethod({
  name: 'imbot.dialog.get',
  scope: 'imbot',
  params: {
    DIALOG_ID: p.string().optional().invalid('DIALOG_ID_EMPTY'),
    CLIENT_ID: p.string().optional(),
  },
  handler: ({ caller, raw }, services) => botDialogView(services, caller, raw),
});
