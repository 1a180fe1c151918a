import { defineMethod } from '../define.ts';
import { messengerLive } from '../im/messenger-live.ts';
import { botChat, type ChatFailure, chatIdParam, dialogAsChat, failWith, userIdParam } from './bot-chat.ts';
import { actingBot, botContext } from './bot-context.ts';

const OWNER_ONLY: ChatFailure = ['WRONG_REQUEST', 'Change owner can only owner and user must be member in chat'];

/**
 * b24restdocs api-reference/chat-bots/outdated/chats/imbot-chat-set-owner.md: only the owning bot hands its chat
 * to another member. An unknown chat, one the bot is not in or a private dialog is the one WRONG_REQUEST of
 * CIMRestService::chatSetOwner for whatever CIMChat::SetOwner refuses (its ACCESS_ERROR "Action unavailable" is the
 * portal's general chat only, which b24-local has not). Members get `chatOwner` (Messenger.setOwner).
 */
export default defineMethod({
  name: 'imbot.chat.setOwner',
  scope: 'imbot',
  prepare: dialogAsChat,
  params: botContext,
  async handler({ caller, raw }, services) {
    const { domain } = services;
    const chatId = chatIdParam(raw);
    const userId = userIdParam(raw);
    const bot = await actingBot(domain, caller, raw);
    const { chat } = await botChat(domain, bot.id, chatId, { notMember: OWNER_ONLY, privateChat: OWNER_ONLY });
    if (chat.owner_id !== bot.id || !(await domain.chats.isMember(chat.id, userId))) {
      throw failWith(OWNER_ONLY);
    }
    if (userId !== chat.owner_id) {
      await domain.groupChats.setOwner({ chat, userId, live: messengerLive(services) });
    }
    return true;
  },
});
