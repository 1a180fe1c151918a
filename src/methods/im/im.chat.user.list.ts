import { defineMethod } from '../define.ts';
import { chatIdParam, dialogAsChat } from '../imbot/bot-chat.ts';

/**
 * b24restdocs api-reference/chats/chat-users/im-chat-user-list.md: the member ids; an empty array when the caller
 * may not see them (not a member of a closed chat, or no such chat), as the page says. CHAT_ID is read with intval
 * (CIMRestService::chatUserList).
 */
export default defineMethod({
  name: 'im.chat.user.list',
  scope: 'im',
  prepare: dialogAsChat,
  params: {},
  async handler({ caller, raw }, { domain }) {
    const chat = await domain.chats.get(chatIdParam(raw));
    if (!chat) return [];
    const members = await domain.chats.members(chat.id);
    return members.includes(caller.userId) || chat.type === 'O' ? members : [];
  },
});
