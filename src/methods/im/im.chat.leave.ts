import { intval } from '../../wire/params/php.ts';
import { defineMethod } from '../define.ts';
import { dialogAsChat } from '../imbot/bot-chat.ts';
import { leavableChatId, removeFromChat } from './chat-leave.ts';

/**
 * b24restdocs api-reference/chats/chat-users/im-chat-leave.md: the caller leaves a group chat; the chat gets the
 * "left the chat" notice and its members `chatUserLeave`. Errors as im.chat.user.delete (one function in the im
 * module, CIMRestService::chatUserDelete), which also makes a USER_ID above 0 remove that user instead (the page
 * lists no USER_ID).
 */
export default defineMethod({
  name: 'im.chat.leave',
  scope: 'im',
  prepare: dialogAsChat,
  params: {},
  async handler({ caller, raw }, services) {
    const chatId = await leavableChatId(services, raw);
    const userId = intval(raw.USER_ID);
    return removeFromChat(services, caller.userId, chatId, userId > 0 ? userId : caller.userId);
  },
});
