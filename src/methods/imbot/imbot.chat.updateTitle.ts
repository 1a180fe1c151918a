import { fail } from '../../wire/errors.ts';
import { p } from '../../wire/params/coerce.ts';
import { defineMethod } from '../define.ts';
import { messengerLive } from '../im/messenger-live.ts';
import { ACTION_UNAVAILABLE, botChat, dialogAsChat } from './bot-chat.ts';
import { APP_ID_ERROR_LOWER, actingBot, botContext } from './bot-context.ts';

/**
 * b24restdocs api-reference/chat-bots/outdated/chats/imbot-chat-update-title.md: TITLE is trimmed first. The chat gets
 * the "changed the chat name" notice, its members `chatRename` (Messenger.updateChat).
 */
export default defineMethod({
  name: 'imbot.chat.updateTitle',
  scope: 'imbot',
  prepare: dialogAsChat,
  params: {
    ...botContext,
    CHAT_ID: p.id().optional().invalid('CHAT_ID_EMPTY'),
    TITLE: p.string().optional().invalid('TITLE_EMPTY'),
  },
  async handler({ params, caller, raw }, services) {
    const { domain } = services;
    if (params.CHAT_ID === undefined) throw fail('CHAT_ID_EMPTY');
    const title = params.TITLE?.trim();
    if (!title) throw fail('TITLE_EMPTY');
    const bot = await actingBot(domain, caller, params, { raw, appIdError: APP_ID_ERROR_LOWER });
    const { chat } = await botChat(domain, bot.id, params.CHAT_ID, {
      notMember: ACTION_UNAVAILABLE,
      privateChat: ['ACCESS_ERROR', 'This chat cannot be renamed'],
    });
    await domain.groupChats.update({ actor: bot.user, chat, changes: { title }, live: messengerLive(services) });
    return true;
  },
});
