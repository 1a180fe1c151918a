import { p } from '../../wire/params/coerce.ts';
import { defineMethod } from '../define.ts';
import { dialogAsChat } from '../imbot/bot-chat.ts';
import { removeFromChat } from './chat-leave.ts';

/**
 * b24restdocs api-reference/chats/chat-users/im-chat-leave.md: the caller leaves a group chat; the chat gets the
 * "left the chat" notice and its members `chatUserLeave`. Errors as im.chat.user.delete (one function in the im module).
 */
export default defineMethod({
  name: 'im.chat.leave',
  scope: 'im',
  prepare: dialogAsChat,
  params: {
    CHAT_ID: p.id().missing('CHAT_ID_EMPTY').invalid('CHAT_ID_EMPTY'),
  },
  handler: ({ params, caller }, services) => removeFromChat(services, caller.userId, params.CHAT_ID, caller.userId),
});
