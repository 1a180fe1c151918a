import { p } from '../../wire/params/coerce.ts';
import { defineMethod } from '../define.ts';
import { botDialogView } from './bot-dialog-view.ts';

/**
 * b24restdocs api-reference/chat-bots/outdated/chats/imbot-chat-get.md: the chat bound to ENTITY_TYPE/ENTITY_ID by
 * imbot.chat.add. Either param missing → `null`, as the page says; no such chat → `null` too. CIMRestService::chatGet
 * answers the binding's chat id to any caller (it looks the binding up without an access check, and takes no
 * application), so does this (docs/decisions.md). Given a DIALOG_ID (even with the entity params), chatGet answers
 * what dialogGet does, the chat's data as imbot.dialog.get shows it; the page does not list that form.
 */
export default defineMethod({
  name: 'imbot.chat.get',
  scope: 'imbot',
  params: {
    ENTITY_TYPE: p.string().optional(),
    ENTITY_ID: p.string().optional(),
  },
  async handler({ params, caller, raw }, services) {
    if (raw.DIALOG_ID !== undefined && raw.DIALOG_ID !== null) return botDialogView(services, caller, raw);
    if (params.ENTITY_TYPE === undefined || params.ENTITY_ID === undefined) return null;
    const chat = await services.domain.chats.byEntity(params.ENTITY_TYPE, params.ENTITY_ID);
    return chat ? { ID: chat.id } : null;
  },
});
