import { changedMessageExtras } from '../../domain/message-extras.ts';
import { fail } from '../../wire/errors.ts';
import { p } from '../../wire/params/coerce.ts';
import { defineMethod } from '../define.ts';
import { messengerLive } from '../im/messenger-live.ts';
import { actingBot, botContext } from './bot-context.ts';

/**
 * b24restdocs api-reference/chat-bots/outdated/messages/imbot-message-update.md. Absent MESSAGE keeps the text, an
 * empty one deletes the message; ATTACH, KEYBOARD, MENU empty or `N` clear. Only the bot's own messages of the last
 * three days (by the server clock) can change: else CANT_EDIT_MESSAGE (403). A bot's edit sets no "edited" mark
 * (the im module passes no edit flag for bots).
 */
export default defineMethod({
  name: 'imbot.message.update',
  scope: 'imbot',
  applicationFirst: true,
  params: {
    ...botContext,
    MESSAGE_ID: p.id().missing('MESSAGE_ID_ERROR').invalid('MESSAGE_ID_ERROR'),
    MESSAGE: p.string().optional(),
  },
  async handler({ params, caller, raw }, services) {
    const { domain } = services;
    const bot = await actingBot(domain, caller, params, { raw });
    const message = await domain.messenger.editable(bot.id, params.MESSAGE_ID);
    if (!message) throw fail('CANT_EDIT_MESSAGE');
    const extras = changedMessageExtras(raw, bot.id, 'MENU_ERROR');
    await domain.messenger.edit({
      message,
      // An empty MESSAGE (which the coercer reads as absent) deletes the message.
      text: raw.MESSAGE === undefined ? undefined : (params.MESSAGE ?? ''),
      extras,
      markEdited: false,
      live: messengerLive(services),
    });
    return true;
  },
});
