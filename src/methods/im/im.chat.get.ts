import { phpEmpty, phpString } from '../../wire/params/php.ts';
import { defineMethod } from '../define.ts';
import { imDialogView } from './im-dialog-view.ts';

/**
 * b24restdocs api-reference/chats/im-chat-get.md: `{ID}` of the chat bound to ENTITY_TYPE + ENTITY_ID, or `null`
 * when either is empty (PHP empty(), so "0" too) or no chat has that binding. As CIMRestService::chatGet: the
 * binding is looked up with no access check, and a DIALOG_ID, when given, answers what im.dialog.get does (the
 * entity params are then not read).
 */
export default defineMethod({
  name: 'im.chat.get',
  scope: 'im',
  params: {},
  async handler({ caller, raw }, services) {
    if (raw.DIALOG_ID !== undefined && raw.DIALOG_ID !== null) return imDialogView(services, caller, raw, 'dialog');
    if (phpEmpty(raw.ENTITY_TYPE) || phpEmpty(raw.ENTITY_ID)) return null;
    const chat = await services.domain.chats.byEntity(phpString(raw.ENTITY_TYPE), phpString(raw.ENTITY_ID));
    return chat ? { ID: chat.id } : null;
  },
});
