import { looseEquals } from '../../wire/params/php.ts';
import { defineMethod } from '../define.ts';
import { messengerLive } from '../im/messenger-live.ts';
import { botChat, type ChatFailure, chatIdParam, dialogAsChat, failWith, userIdParam } from './bot-chat.ts';
import { actingBot, botContext } from './bot-context.ts';

const OWNER_ONLY: ChatFailure = ['WRONG_REQUEST', 'Change manager can only owner and user must be member in chat'];

/**
 * b24restdocs api-reference/chat-bots/outdated/chats/imbot-chat-set-manager.md: the owning bot grants or revokes a
 * member's manager rights. The page lists no ACCESS_ERROR, so every refusal is its WRONG_REQUEST. Members get
 * `chatManagers` (Messenger.setManagers).
 */
export default defineMethod({
  name: 'imbot.chat.setManager',
  scope: 'imbot',
  prepare: dialogAsChat,
  params: botContext,
  async handler({ caller, raw }, services) {
    const { domain } = services;
    const chatId = chatIdParam(raw);
    const userId = userIdParam(raw);
    // Only "N" (PHP's loose ==) revokes; any other value, or none, grants.
    const isManager = !looseEquals(raw.IS_MANAGER, 'N');
    const bot = await actingBot(domain, caller, raw);
    const { chat } = await botChat(domain, bot.id, chatId, { notMember: OWNER_ONLY });
    if (chat.owner_id !== bot.id || !(await domain.chats.isMember(chat.id, userId))) {
      throw failWith(OWNER_ONLY);
    }
    await domain.groupChats.setManagers({
      chat,
      managers: new Map([[userId, isManager]]),
      live: messengerLive(services),
    });
    return true;
  },
});
