import { fail } from '../../wire/errors.ts';
import { phpString } from '../../wire/params/php.ts';
import { defineMethod } from '../define.ts';
import { messengerLive } from '../im/messenger-live.ts';
import { ACTION_UNAVAILABLE, botChat, chatIdParam, dialogAsChat } from './bot-chat.ts';
import { actingBot, botContext } from './bot-context.ts';

/**
 * b24restdocs api-reference/chat-bots/outdated/chats/imbot-chat-update-title.md: TITLE is trimmed first. The chat gets
 * the "changed the chat name" notice, its members `chatRename` (Messenger.updateChat).
 */
export default defineMethod({
  name: 'imbot.chat.updateTitle',
  scope: 'imbot',
  prepare: dialogAsChat,
  params: botContext,
  async handler({ caller, raw }, services) {
    const { domain } = services;
    const chatId = chatIdParam(raw);
    const title = phpString(raw.TITLE).trim();
    if (!title) throw fail('TITLE_EMPTY');
    const bot = await actingBot(domain, caller, raw);
    const { chat } = await botChat(domain, bot.id, chatId, {
      notMember: ACTION_UNAVAILABLE,
      privateChat: ['ACCESS_ERROR', 'This chat cannot be renamed'],
    });
    await domain.groupChats.update({ actor: bot.user, chat, changes: { title }, live: messengerLive(services) });
    return true;
  },
});
