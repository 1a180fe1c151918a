import { p } from '../../wire/params/coerce.ts';
import { defineMethod } from '../define.ts';
import { dialogAsChat } from '../imbot/bot-chat.ts';

/**
 * b24restdocs api-reference/chats/chat-users/im-chat-user-list.md: the member ids; an empty array when the caller
 * may not see them (not a member of a closed chat, or no such chat), as the page says.
 */
export default defineMethod({
  name: 'im.chat.user.list',
  scope: 'im',
  prepare: dialogAsChat,
  params: {
    CHAT_ID: p.id().missing('CHAT_ID_EMPTY').invalid('CHAT_ID_EMPTY'),
  },
  async handler({ params, caller }, { domain }) {
    const chat = await domain.chats.get(params.CHAT_ID);
    if (!chat) return [];
    const members = await domain.chats.members(chat.id);
    return members.includes(caller.userId) || chat.type === 'O' ? members : [];
  },
});
