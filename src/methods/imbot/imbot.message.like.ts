import { fail } from '../../wire/errors.ts';
import { intval, phpString } from '../../wire/params/php.ts';
import { defineMethod } from '../define.ts';
import { messengerLive } from '../im/messenger-live.ts';
import { actingBot, botContext } from './bot-context.ts';

const ACTIONS = ['auto', 'plus', 'minus'] as const;

/**
 * b24restdocs api-reference/chat-bots/outdated/messages/imbot-message-like.md, checked as
 * CIMRestService::botMessageLike checks: application, bot, MESSAGE_ID (intval > 0). ACTION `auto` toggles (also
 * for an unknown value, as the im module does), `plus` sets, `minus` removes. No change — including a message the
 * bot cannot see — is WITHOUT_CHANGES, the im module's only failure of a like.
 */
export default defineMethod({
  name: 'imbot.message.like',
  scope: 'imbot',
  applicationFirst: true,
  params: botContext,
  async handler({ caller, raw }, services) {
    const { domain } = services;
    const bot = await actingBot(domain, caller, raw);
    const messageId = intval(raw.MESSAGE_ID);
    if (messageId <= 0) throw fail('MESSAGE_ID_ERROR');
    const requested = phpString(raw.ACTION).toLowerCase();
    const action = ACTIONS.find((a) => a === requested) ?? 'auto';
    const message = await domain.messenger.visible(bot.id, messageId);
    if (!message || !(await domain.messenger.like(bot.id, message, action, messengerLive(services)))) {
      throw fail('WITHOUT_CHANGES');
    }
    return true;
  },
});
