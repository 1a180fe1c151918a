import { requireApplication } from '../../domain/caller.ts';
import { fail } from '../../wire/errors.ts';
import { p } from '../../wire/params/coerce.ts';
import { defineMethod } from '../define.ts';

/**
 * b24restdocs api-reference/chat-bots/outdated/bots/imbot-unregister.md: BOT_ID is required here. The bot's
 * private dialogs are deleted with it; its EVENT_BOT_DELETE handler gets ONIMBOTDELETE with the caller's `auth`.
 */
export default defineMethod({
  name: 'imbot.unregister',
  scope: 'imbot',
  applicationFirst: true,
  params: {
    BOT_ID: p.id().optional().invalid('BOT_ID_ERROR'),
    CLIENT_ID: p.string().optional(),
  },
  async handler({ params, caller, raw }, { domain }) {
    const appKey = requireApplication(caller, raw);
    if (params.BOT_ID === undefined) throw fail('BOT_ID_ERROR');
    const bot = await domain.bots.resolve(appKey, params.BOT_ID);
    await domain.bots.unregister(bot, caller.userId);
    return true;
  },
});
