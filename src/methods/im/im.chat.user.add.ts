import { ApiError } from '../../wire/errors.ts';
import { defineMethod } from '../define.ts';
import { chatIdParam, dialogAsChat, hideHistoryParam, refusedInPrivate } from '../imbot/bot-chat.ts';
import { messengerLive } from './messenger-live.ts';
import { idList } from './php-int.ts';

// CIMRestService::chatUserAdd's one answer for whatever CIMChat::AddUser refuses
const REFUSED = "You don't have access or user already member in chat";

/**
 * b24restdocs api-reference/chats/chat-users/im-chat-user-add.md, checked as CIMRestService::chatUserAdd checks:
 * CHAT_ID (intval), a private dialog → ACCESS_ERROR "It is forbidden to add users to this chat", HIDE_HISTORY ("N"
 * shows the history, any other value is cast to a boolean; absent hides it, the page's default), then AddUser: a
 * chat that does not exist or that the caller is not in → WRONG_REQUEST, the module's one answer; nobody new to add
 * is `true` (the newest AddUser adds through Chat::addUsers and answers true once the caller may extend the chat).
 */
export default defineMethod({
  name: 'im.chat.user.add',
  scope: 'im',
  prepare: dialogAsChat,
  params: {},
  async handler({ caller, raw }, services) {
    const { domain } = services;
    const chatId = chatIdParam(raw);
    await refusedInPrivate(domain, chatId, ['ACCESS_ERROR', 'It is forbidden to add users to this chat']);
    const hideHistory = hideHistoryParam(raw);
    const chat = await domain.chats.get(chatId);
    const actor = await domain.users.require(caller.userId);
    if (!chat || !(await domain.chats.isMember(chat.id, actor.id))) throw new ApiError('WRONG_REQUEST', REFUSED);
    await domain.groupChats.addMembers({
      actor,
      chat,
      userIds: idList(raw.USERS),
      hideHistory,
      live: messengerLive(services),
    });
    return true;
  },
});
