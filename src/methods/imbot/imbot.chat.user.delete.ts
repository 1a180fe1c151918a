import { defineMethod } from '../define.ts';
import { chatIdParam, dialogAsChat, refusedInPrivate, userIdParam } from './bot-chat.ts';
import { botRemovesMember } from './bot-chat-remove.ts';
import { actingBot, botContext } from './bot-context.ts';

/**
 * b24restdocs api-reference/chat-bots/outdated/chats/imbot-chat-user-delete.md, checked as
 * CIMRestService::chatUserDelete checks: CHAT_ID, a chat that loses no members (a private dialog), the bot, USER_ID,
 * then CIMChat::DeleteUser (botRemovesMember). The bot may always remove itself, unless it owns the chat. The chat
 * gets the CHAT_LEAVE notice and its members `chatUserLeave` (Messenger.removeMember).
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
    return botRemovesMember(services, bot, chatId, userId);
  },
});
