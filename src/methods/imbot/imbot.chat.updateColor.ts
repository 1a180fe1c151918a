import { chatColor } from '../../domain/chat-rules.ts';
import { COLORS } from '../../domain/chats.ts';
import { fail } from '../../wire/errors.ts';
import { phpString } from '../../wire/params/php.ts';
import { defineMethod } from '../define.ts';
import { messengerLive } from '../im/messenger-live.ts';
import { botChat, type ChatFailure, chatIdParam, dialogAsChat, failWith } from './bot-chat.ts';
import { actingBot, botContext } from './bot-context.ts';

// CIMRestService::chatUpdateColor's wording (the page has "…or chat doesn't exist")
const UNCHANGED: ChatFailure = ['WRONG_REQUEST', "This color currently set or chat isn't exists"];

/**
 * b24restdocs api-reference/chat-bots/outdated/chats/imbot-chat-update-color.md: one of the 16 colour names (any
 * letter case). Setting the chat's current colour again is the page's WRONG_REQUEST. The chat gets the "changed the
 * chat color" notice, its members `chatChangeColor` (Messenger.updateChat).
 */
export default defineMethod({
  name: 'imbot.chat.updateColor',
  scope: 'imbot',
  prepare: dialogAsChat,
  params: botContext,
  async handler({ caller, raw }, services) {
    const { domain } = services;
    const chatId = chatIdParam(raw);
    const color = phpString(raw.COLOR).trim().toUpperCase();
    if (!(color in COLORS)) throw fail('WRONG_COLOR');
    const bot = await actingBot(domain, caller, raw);
    // CIMChat::SetColor refuses them all; chatUpdateColor's ACCESS_ERROR is the general chat's only
    const { chat } = await botChat(domain, bot.id, chatId, { notMember: UNCHANGED, privateChat: UNCHANGED });
    if (chatColor(chat) === color) throw failWith(UNCHANGED);
    await domain.groupChats.update({ actor: bot.user, chat, changes: { color }, live: messengerLive(services) });
    return true;
  },
});
