import { defineMethod } from '../define.ts';
import { chatIdParam, dialogAsChat } from './bot-chat.ts';
import { actingBot, botContext } from './bot-context.ts';

/**
 * b24restdocs api-reference/chat-bots/outdated/chats/imbot-chat-user-list.md: member ids, in joining order.
 * CIMRestService::chatUserList checks CHAT_ID and the bot, then answers the chat's members as the bot sees them
 * (CIMChat::GetChatData), an empty list when it sees none: a chat that does not exist or a closed one the bot is
 * not in — as im.chat.user.list, which shares the code.
 */
export default defineMethod({
  name: 'imbot.chat.user.list',
  scope: 'imbot',
  prepare: dialogAsChat,
  params: botContext,
  async handler({ caller, raw }, { domain }) {
    const chatId = chatIdParam(raw);
    const bot = await actingBot(domain, caller, raw);
    const chat = await domain.chats.get(chatId);
    if (!chat) return [];
    const members = await domain.chats.members(chat.id);
    return members.includes(bot.id) || chat.type === 'O' ? members : [];
  },
});
