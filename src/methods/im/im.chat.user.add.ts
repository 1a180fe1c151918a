import { ApiError } from '../../wire/errors.ts';
import { p } from '../../wire/params/coerce.ts';
import { defineMethod } from '../define.ts';
import { dialogAsChat } from '../imbot/bot-chat.ts';
import { messengerLive } from './messenger-live.ts';
import { idList } from './php-int.ts';

/**
 * b24restdocs api-reference/chats/chat-users/im-chat-user-add.md. A chat the caller cannot extend (unknown, not a
 * member, a private dialog) → ACCESS_ERROR "It is forbidden to add users to this chat"; nobody to add (missing
 * USERS, all already members or unknown) → WRONG_REQUEST "You don't have access or user already member in chat",
 * the im module's answer. HIDE_HISTORY (default Y) hides the earlier messages from the new members.
 */
export default defineMethod({
  name: 'im.chat.user.add',
  scope: 'im',
  prepare: dialogAsChat,
  params: {
    CHAT_ID: p.id().missing('CHAT_ID_EMPTY').invalid('CHAT_ID_EMPTY'),
    HIDE_HISTORY: p.bool().default(true),
  },
  async handler({ params, caller, raw }, services) {
    const { domain } = services;
    const chat = await domain.chats.get(params.CHAT_ID);
    const actor = await domain.users.require(caller.userId);
    if (!chat || chat.type === 'P' || !(await domain.chats.isMember(chat.id, actor.id))) {
      throw new ApiError('ACCESS_ERROR', 'It is forbidden to add users to this chat');
    }
    const added = await domain.groupChats.addMembers({
      actor,
      chat,
      userIds: idList(raw.USERS),
      hideHistory: params.HIDE_HISTORY,
      live: messengerLive(services),
    });
    if (!added.length) throw new ApiError('WRONG_REQUEST', "You don't have access or user already member in chat");
    return true;
  },
});
