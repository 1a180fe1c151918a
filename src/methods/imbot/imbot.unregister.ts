import { p } from '../../http/params/coerce.ts';
import { defineMethod } from '../define.ts';
import { actingBot } from './bot-context.ts';

/** b24restdocs api-reference/chat-bots/outdated/bots/imbot-unregister.md (BOT_ID required here). */
export default defineMethod({
  name: 'imbot.unregister',
  scope: 'imbot',
  params: {
    BOT_ID: p.id().missing('BOT_ID_ERROR').invalid('BOT_ID_ERROR'),
    CLIENT_ID: p.string().optional(),
  },
  async handler({ params, caller }, { domain }) {
    const bot = await actingBot(domain, caller, params);
    await domain.bots.unregister(bot);
    return true;
  },
});
