import { defineMethod } from '../define.ts';
import { dialogAsChat, userIdParam } from '../imbot/bot-chat.ts';
import { leavableChatId, removeFromChat } from './chat-leave.ts';

/**
 * b24restdocs api-reference/chats/chat-users/im-chat-user-delete.md: the owner or a manager takes a member out of a
 * group chat ("removed … from the chat" notice, `chatUserLeave`); USER_ID of the caller is leaving. As
 * CIMRestService::chatUserDelete: CHAT_ID and a private dialog before USER_ID (intval → USER_ID_EMPTY).
 */
export default defineMethod({
  name: 'im.chat.user.delete',
  scope: 'im',
  prepare: dialogAsChat,
  params: {},
  async handler({ caller, raw }, services) {
    const chatId = await leavableChatId(services, raw);
    return removeFromChat(services, caller.userId, chatId, userIdParam(raw));
  },
});
