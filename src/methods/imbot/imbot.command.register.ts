import { requireApplication } from '../../domain/caller.ts';
import { commandLang, commandName } from '../../domain/commands.ts';
import { ApiError, fail } from '../../wire/errors.ts';
import { p } from '../../wire/params/coerce.ts';
import { defineMethod } from '../define.ts';
import { checkHandlerUrl } from '../handler-url.ts';

/**
 * b24restdocs api-reference/chat-bots/outdated/commands/imbot-command-register.md. Checked in the im module's
 * order: handler URL, COMMAND, BOT_ID (required here), LANG. COMMAND is Latin letters and digits (a leading `/` is
 * dropped); anything else cannot become a command: WRONG_REQUEST "Command can't be created". The same bot
 * registering the same command again gets its id back.
 */
export default defineMethod({
  name: 'imbot.command.register',
  scope: 'imbot',
  applicationFirst: true,
  params: {
    BOT_ID: p.id().optional().invalid('BOT_ID_ERROR'),
    CLIENT_ID: p.string().optional(),
    COMMON: p.bool().default(false),
    HIDDEN: p.bool().default(false),
    EXTRANET_SUPPORT: p.bool().default(false),
  },
  async handler({ params, caller, raw }, { domain, config }) {
    const app = requireApplication(caller, raw);
    if (raw.EVENT_COMMAND_ADD === undefined || raw.EVENT_COMMAND_ADD === null || raw.EVENT_COMMAND_ADD === '') {
      throw fail('EVENT_COMMAND_ADD_ERROR');
    }
    const handler = checkHandlerUrl(
      raw.EVENT_COMMAND_ADD,
      config.handlerPolicy,
      'EVENT_COMMAND_ADD_ERROR',
      'Wrong handler URL',
    );
    if (raw.COMMAND === undefined || raw.COMMAND === null || raw.COMMAND === '') {
      throw new ApiError('COMMAND_ERROR', "Command isn't specified");
    }
    if (params.BOT_ID === undefined) throw fail('BOT_ID_ERROR');
    const bot = await domain.bots.resolve(app, params.BOT_ID);
    const lang = commandLang(raw.LANG);
    if (!lang) throw fail('LANG_ERROR');
    const command = commandName(raw.COMMAND);
    if (!command) throw new ApiError('WRONG_REQUEST', "Command can't be created");
    return domain.commands.register({
      botId: bot.id,
      appKey: app,
      command,
      handler,
      lang,
      common: params.COMMON,
      hidden: params.HIDDEN,
      extranetSupport: params.EXTRANET_SUPPORT,
    });
  },
});
