import { fail } from '../../wire/errors.ts';
import { p } from '../../wire/params/coerce.ts';
import { defineMethod } from '../define.ts';
import { messengerLive } from '../im/messenger-live.ts';
import { actingBot, botContext } from './bot-context.ts';

/**
 * b24restdocs api-reference/chat-bots/outdated/messages/imbot-message-delete.md. COMPLETE=Y removes the message
 * entirely; otherwise it stays as a "deleted" mark. The bot's own messages of the last three days only, else
 * CANT_EDIT_MESSAGE (403).
 */
export default defineMethod({
  name: 'imbot.message.delete',
  scope: 'imbot',
  applicationFirst: true,
  params: {
    ...botContext,
    MESSAGE_ID: p.id().missing('MESSAGE_ID_ERROR').invalid('MESSAGE_ID_ERROR'),
    COMPLETE: p.bool().default(false),
  },
  async handler({ params, caller, raw }, services) {
    const { domain } = services;
    const bot = await actingBot(domain, caller, params, { raw });
    const message = await domain.messenger.editable(bot.id, params.MESSAGE_ID);
    if (!message) throw fail('CANT_EDIT_MESSAGE');
    await domain.messenger.remove({ message, complete: params.COMPLETE, live: messengerLive(services) });
    return true;
  },
});
