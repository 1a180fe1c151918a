import { requireApplication } from '../../domain/caller.ts';
import { commandLang, commandName } from '../../domain/commands.ts';
import { ApiError, fail } from '../../wire/errors.ts';
import { p } from '../../wire/params/coerce.ts';
import { intval, looseEquals, phpEmpty } from '../../wire/params/php.ts';
import { defineMethod } from '../define.ts';
import { checkHandlerUrl } from '../handler-url.ts';

/**
 * b24restdocs api-reference/chat-bots/outdated/commands/imbot-command-register.md. Checked as
 * CIMRestService::commandRegister checks: application, handler URL, COMMAND, BOT_ID (intval, required here), the
 * bot's application, LANG; COMMON, HIDDEN and EXTRANET_SUPPORT are on only for "Y". COMMAND is Latin letters and digits (a leading `/` is
 * dropped); anything else cannot become a command: WRONG_REQUEST "Command can't be created". The same bot
 * registering the same command again gets its id back.
 */
export default defineMethod({
  name: 'imbot.command.register',
  scope: 'imbot',
  applicationFirst: true,
  params: { CLIENT_ID: p.string().optional() },
  async handler({ caller, raw }, { domain, config }) {
    const app = requireApplication(caller, raw);
    if (phpEmpty(raw.EVENT_COMMAND_ADD)) throw fail('EVENT_COMMAND_ADD_ERROR');
    const handler = checkHandlerUrl(
      raw.EVENT_COMMAND_ADD,
      config.handlerPolicy,
      'EVENT_COMMAND_ADD_ERROR',
      'Wrong handler URL',
    );
    if (phpEmpty(raw.COMMAND)) throw new ApiError('COMMAND_ERROR', "Command isn't specified");
    const botId = intval(raw.BOT_ID);
    if (botId <= 0) throw fail('BOT_ID_ERROR');
    const bot = await domain.bots.resolve(app, botId);
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
      common: looseEquals(raw.COMMON, 'Y'),
      hidden: looseEquals(raw.HIDDEN, 'Y'),
      extranetSupport: looseEquals(raw.EXTRANET_SUPPORT, 'Y'),
    });
  },
});
