import { requireApplication } from '../../domain/caller.ts';
import { fail } from '../../wire/errors.ts';
import { p } from '../../wire/params/coerce.ts';
import { defineMethod } from '../define.ts';
import { botIdParam } from './bot-context.ts';

/**
 * b24restdocs api-reference/chat-bots/outdated/bots/imbot-unregister.md: BOT_ID is required here
 * (CIMRestService::botUnRegister looks it up without a default). The bot's private dialogs are deleted with it;
 * its EVENT_BOT_DELETE handler gets ONIMBOTDELETE with the caller's `auth`.
 */
export default defineMethod({
  name: 'imbot.unregister',
  scope: 'imbot',
  applicationFirst: true,
  params: { CLIENT_ID: p.string().optional() },
  async handler({ caller, raw }, { domain }) {
    const appKey = requireApplication(caller, raw);
    const botId = botIdParam(raw);
    if (botId === undefined) throw fail('BOT_ID_ERROR');
    const bot = await domain.bots.resolve(appKey, botId);
    await domain.bots.unregister(bot, caller.userId);
    return true;
  },
});
