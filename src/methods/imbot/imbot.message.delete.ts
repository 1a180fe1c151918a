import { fail } from '../../wire/errors.ts';
import { intval, looseEquals } from '../../wire/params/php.ts';
import { defineMethod } from '../define.ts';
import { messengerLive } from '../im/messenger-live.ts';
import { actingBot, botContext } from './bot-context.ts';

/**
 * b24restdocs api-reference/chat-bots/outdated/messages/imbot-message-delete.md, checked as
 * CIMRestService::botMessageDelete checks: application, bot, MESSAGE_ID (intval > 0), then the message.
 * COMPLETE=Y removes the message entirely; otherwise it stays as a "deleted" mark. The bot's own messages of the
 * last three days only, else CANT_EDIT_MESSAGE (403).
 */
export default defineMethod({
  name: 'imbot.message.delete',
  scope: 'imbot',
  applicationFirst: true,
  params: botContext,
  async handler({ caller, raw }, services) {
    const { domain } = services;
    const bot = await actingBot(domain, caller, raw);
    const messageId = intval(raw.MESSAGE_ID);
    if (messageId <= 0) throw fail('MESSAGE_ID_ERROR');
    const message = await domain.messenger.editable(bot.id, messageId);
    if (!message) throw fail('CANT_EDIT_MESSAGE');
    const complete = looseEquals(raw.COMPLETE, 'Y');
    if (!(await domain.messenger.remove({ message, complete, live: messengerLive(services) }))) {
      throw fail('CANT_EDIT_MESSAGE');
    }
    return true;
  },
});
