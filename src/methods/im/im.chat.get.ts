import { p } from '../../wire/params/coerce.ts';
import { defineMethod } from '../define.ts';

/**
 * b24restdocs api-reference/chats/im-chat-get.md: `{ID}` of the chat bound to ENTITY_TYPE + ENTITY_ID, or `null`
 * when a param is missing or no such chat is one the caller is in (the page documents no errors of its own).
 */
export default defineMethod({
  name: 'im.chat.get',
  scope: 'im',
  params: {
    ENTITY_TYPE: p.string().optional(),
    ENTITY_ID: p.string().optional(),
  },
  async handler({ params, caller }, { domain }) {
    if (!params.ENTITY_TYPE || !params.ENTITY_ID) return null;
    const chat = await domain.chats.byEntity(params.ENTITY_TYPE, params.ENTITY_ID);
    if (!chat || !(await domain.chats.isMember(chat.id, caller.userId))) return null;
    return { ID: chat.id };
  },
});
