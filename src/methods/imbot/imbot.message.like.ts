import { fail } from '../../wire/errors.ts';
import { p } from '../../wire/params/coerce.ts';
import { defineMethod } from '../define.ts';
import { messengerLive } from '../im/messenger-live.ts';
import { actingBot, botContext } from './bot-context.ts';

const ACTIONS = ['auto', 'plus', 'minus'] as const;

/**
 * b24restdocs api-reference/chat-bots/outdated/messages/imbot-message-like.md. ACTION `auto` toggles (also for an
 * unknown value, as the im module does), `plus` sets, `minus` removes. No change — including a message the bot
 * cannot see — is WITHOUT_CHANGES, the im module's only failure of a like.
 */
export default defineMethod({
  name: 'imbot.message.like',
  scope: 'imbot',
  applicationFirst: true,
  params: {
    ...botContext,
    MESSAGE_ID: p.id().missing('MESSAGE_ID_ERROR').invalid('MESSAGE_ID_ERROR'),
  },
  async handler({ params, caller, raw }, services) {
    const { domain } = services;
    const bot = await actingBot(domain, caller, params, { raw });
    const requested = String(raw.ACTION ?? '').toLowerCase();
    const action = ACTIONS.find((a) => a === requested) ?? 'auto';
    const message = await domain.messenger.visible(bot.id, params.MESSAGE_ID);
    if (!message || !(await domain.messenger.like(bot.id, message, action, messengerLive(services)))) {
      throw fail('WITHOUT_CHANGES');
    }
    return true;
  },
});
