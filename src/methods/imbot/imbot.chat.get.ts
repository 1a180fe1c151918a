import { applicationIn } from '../../domain/caller.ts';
import { chatReader } from '../../domain/chat-access.ts';
import { ApiError } from '../../wire/errors.ts';
import { p } from '../../wire/params/coerce.ts';
import { defineMethod } from '../define.ts';

/**
 * b24restdocs api-reference/chat-bots/outdated/chats/imbot-chat-get.md: the chat bound to ENTITY_TYPE/ENTITY_ID by
 * imbot.chat.add. Either param missing → `null`, as the page says; no such chat → `null` too (docs/decisions.md).
 */
export default defineMethod({
  name: 'imbot.chat.get',
  scope: 'imbot',
  params: {
    ENTITY_TYPE: p.string().optional(),
    ENTITY_ID: p.string().optional(),
    CLIENT_ID: p.string().optional(),
  },
  async handler({ params, caller, raw }, { domain }) {
    if (params.ENTITY_TYPE === undefined || params.ENTITY_ID === undefined) return null;
    const chat = await domain.chats.byEntity(params.ENTITY_TYPE, params.ENTITY_ID);
    if (!chat) return null;
    const app = applicationIn(caller, raw);
    const botIds = app === undefined ? [] : (await domain.bots.ofApp(app)).map((b) => b.id);
    const reader = await chatReader(domain.chats, chat, caller.userId, botIds);
    if (reader === undefined) throw new ApiError('ACCESS_ERROR', "You don't have access to this chat");
    return { ID: chat.id };
  },
});
