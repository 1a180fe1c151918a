import { changedMessageExtras } from '../../domain/message-extras.ts';
import { fail } from '../../wire/errors.ts';
import { intval, phpString } from '../../wire/params/php.ts';
import { defineMethod } from '../define.ts';
import { messengerLive } from '../im/messenger-live.ts';
import { actingBot, botContext } from './bot-context.ts';

const CHANGES = ['ATTACH', 'KEYBOARD', 'MENU', 'MESSAGE'] as const;

/**
 * b24restdocs api-reference/chat-bots/outdated/messages/imbot-message-update.md, checked as
 * CIMRestService::botMessageUpdate checks: application, bot, MESSAGE_ID (intval > 0), then — only when something
 * is to change — the message (CANT_EDIT_MESSAGE, 403: the bot's own of the last three days) and ATTACH, KEYBOARD,
 * MENU. With none of ATTACH, KEYBOARD, MENU, MESSAGE given it answers true and touches nothing, as there. Absent
 * MESSAGE keeps the text, an empty one deletes the message; ATTACH, KEYBOARD, MENU empty or `N` clear. A bot's edit
 * sets no "edited" mark (the im module passes no edit flag for bots).
 */
export default defineMethod({
  name: 'imbot.message.update',
  scope: 'imbot',
  applicationFirst: true,
  params: botContext,
  async handler({ caller, raw }, services) {
    const { domain } = services;
    const bot = await actingBot(domain, caller, raw);
    const messageId = intval(raw.MESSAGE_ID);
    if (messageId <= 0) throw fail('MESSAGE_ID_ERROR');
    if (CHANGES.every((key) => raw[key] === undefined || raw[key] === null)) return true;
    const message = await domain.messenger.editable(bot.id, messageId);
    if (!message) throw fail('CANT_EDIT_MESSAGE');
    const extras = changedMessageExtras(raw, bot.id, 'MENU_ERROR');
    const edited = await domain.messenger.edit({
      message,
      // An empty MESSAGE deletes the message.
      text: raw.MESSAGE === undefined || raw.MESSAGE === null ? undefined : phpString(raw.MESSAGE),
      extras,
      markEdited: false,
      live: messengerLive(services),
    });
    if (!edited) throw fail('CANT_EDIT_MESSAGE');
    return true;
  },
});
