import { can, roleOf } from '../../domain/chat-rules.ts';
import { ApiError } from '../../wire/errors.ts';
import { defineMethod } from '../define.ts';
import { messengerLive } from '../im/messenger-live.ts';
import { ACTION_UNAVAILABLE, botChat, chatIdParam, dialogAsChat, refusedInPrivate, userIdParam } from './bot-chat.ts';
import { actingBot, botContext } from './bot-context.ts';

// CIMRestService::chatUserDelete's wording (the page has "…isn't a member of the chat")
const NO_ACCESS = "You don't have access or user isn't member in chat";

/**
 * b24restdocs api-reference/chat-bots/outdated/chats/imbot-chat-user-delete.md, checked as
 * CIMRestService::chatUserDelete checks: CHAT_ID, a chat that loses no members (a private dialog), the bot, USER_ID,
 * then CIMChat::DeleteUser. Removing others needs the owner or a manager (permission manage_users_delete =
 * manager); the bot may always remove itself, unless it owns the chat. The chat gets the CHAT_LEAVE notice and its
 * members `chatUserLeave` (Messenger.removeMember).
 */
export default defineMethod({
  name: 'imbot.chat.user.delete',
  scope: 'imbot',
  prepare: dialogAsChat,
  params: botContext,
  async handler({ caller, raw }, services) {
    const { domain } = services;
    const chatId = chatIdParam(raw);
    await refusedInPrivate(domain, chatId, ['ACCESS_ERROR', 'It is forbidden to delete users of this chat']);
    const bot = await actingBot(domain, caller, raw);
    const userId = userIdParam(raw);
    const { chat, member } = await botChat(domain, bot.id, chatId, { notMember: ACTION_UNAVAILABLE });
    if (userId !== bot.id && !can(roleOf(chat, member), 'manage_users_delete')) {
      throw new ApiError('WRONG_REQUEST', NO_ACCESS);
    }
    if (!(await domain.chats.isMember(chat.id, userId))) throw new ApiError('WRONG_REQUEST', NO_ACCESS);
    if (userId === chat.owner_id) throw new ApiError('ACCESS_ERROR', 'LEAVE_OWNER_FORBIDDEN');
    const removed = await domain.groupChats.removeMember({
      actor: bot.user,
      chat,
      userId,
      live: messengerLive(services),
    });
    if (!removed) throw new ApiError('WRONG_REQUEST', NO_ACCESS);
    return true;
  },
});
