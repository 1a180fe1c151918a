import { fail } from '../../wire/errors.ts';
import { phpString } from '../../wire/params/php.ts';
import { defineMethod } from '../define.ts';
import { messengerLive } from '../im/messenger-live.ts';
import { chatIdParam, dialogAsChat, failWith } from './bot-chat.ts';
import { actingBot, botContext } from './bot-context.ts';

/**
 * b24restdocs api-reference/chat-bots/outdated/chats/imbot-chat-update-title.md: TITLE is trimmed first. The chat gets
 * the "changed the chat name" notice, its members `chatRename` (Messenger.updateChat). As
 * CIMRestService::chatUpdateTitle: after the bot only a chat that cannot be renamed (a private dialog) is refused;
 * the rename's own outcome is ignored, so an unknown chat or one the bot is not in answers `true` and changes
 * nothing. The log says so, as for imbot.chat.sendTyping.
 */
export default defineMethod({
  name: 'imbot.chat.updateTitle',
  scope: 'imbot',
  prepare: dialogAsChat,
  params: botContext,
  async handler({ caller, raw, warn }, services) {
    const { domain } = services;
    const chatId = chatIdParam(raw);
    const title = phpString(raw.TITLE).trim();
    if (!title) throw fail('TITLE_EMPTY');
    const bot = await actingBot(domain, caller, raw);
    const chat = await domain.chats.get(chatId);
    if (chat?.type === 'P') throw failWith(['ACCESS_ERROR', 'This chat cannot be renamed']);
    if (!chat || !(await domain.chats.isMember(chat.id, bot.id))) {
      warn(
        { botId: bot.id, chatId },
        'imbot.chat.updateTitle: no such chat, or the bot is not in it; answered true as a portal does, nothing renamed',
      );
      return true;
    }
    await domain.groupChats.update({ actor: bot.user, chat, changes: { title }, live: messengerLive(services) });
    return true;
  },
});
