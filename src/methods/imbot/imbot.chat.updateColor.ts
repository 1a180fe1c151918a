import { chatColor } from '../../domain/chat-rules.ts';
import { COLORS } from '../../domain/chats.ts';
import { fail } from '../../wire/errors.ts';
import { p } from '../../wire/params/coerce.ts';
import { defineMethod } from '../define.ts';
import { messengerLive } from '../im/messenger-live.ts';
import { ACTION_UNAVAILABLE, botChat, type ChatFailure, dialogAsChat, failWith } from './bot-chat.ts';
import { APP_ID_ERROR_LOWER, actingBot, botContext } from './bot-context.ts';

const UNCHANGED: ChatFailure = ['WRONG_REQUEST', "This color currently set or chat doesn't exist"];

/**
 * b24restdocs api-reference/chat-bots/outdated/chats/imbot-chat-update-color.md: one of the 16 colour names (any
 * letter case). Setting the chat's current colour again is the page's WRONG_REQUEST. The chat gets the "changed the
 * chat color" notice, its members `chatChangeColor` (Messenger.updateChat).
 */
export default defineMethod({
  name: 'imbot.chat.updateColor',
  scope: 'imbot',
  prepare: dialogAsChat,
  params: {
    ...botContext,
    CHAT_ID: p.id().optional().invalid('CHAT_ID_EMPTY'),
    COLOR: p.string().optional().invalid('WRONG_COLOR'),
  },
  async handler({ params, caller, raw }, services) {
    const { domain } = services;
    if (params.CHAT_ID === undefined) throw fail('CHAT_ID_EMPTY');
    const color = params.COLOR?.trim().toUpperCase();
    if (!color || !(color in COLORS)) throw fail('WRONG_COLOR');
    const bot = await actingBot(domain, caller, params, { raw, appIdError: APP_ID_ERROR_LOWER });
    const { chat } = await botChat(domain, bot.id, params.CHAT_ID, {
      notFound: UNCHANGED,
      notMember: ACTION_UNAVAILABLE,
      privateChat: ACTION_UNAVAILABLE,
    });
    if (chatColor(chat) === color) throw failWith(UNCHANGED);
    await domain.groupChats.update({ actor: bot.user, chat, changes: { color }, live: messengerLive(services) });
    return true;
  },
});
