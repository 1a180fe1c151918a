import { p } from '../../wire/params/coerce.ts';
import { defineMethod } from '../define.ts';
import { dialogAsChat } from '../imbot/bot-chat.ts';
import { removeFromChat } from './chat-leave.ts';

/**
 * b24restdocs api-reference/chats/chat-users/im-chat-user-delete.md: the owner or a manager takes a member out of a
 * group chat ("removed … from the chat" notice, `chatUserLeave`); USER_ID of the caller is leaving.
 */
export default defineMethod({
  name: 'im.chat.user.delete',
  scope: 'im',
  prepare: dialogAsChat,
  params: {
    CHAT_ID: p.id().missing('CHAT_ID_EMPTY').invalid('CHAT_ID_EMPTY'),
    USER_ID: p.id().missing('USER_ID_EMPTY').invalid('USER_ID_EMPTY'),
  },
  handler: ({ params, caller }, services) => removeFromChat(services, caller.userId, params.CHAT_ID, params.USER_ID),
});
