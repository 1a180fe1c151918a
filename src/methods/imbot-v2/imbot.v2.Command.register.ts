import { commandLangs } from '../../domain/v2-commands.ts';
import { ApiError } from '../../wire/errors.ts';
import { bindParams } from '../../wire/params/bind.ts';
import { p } from '../../wire/params/coerce.ts';
import { defineBotMethod } from './v2-bot-context.ts';
import { v2Command, v2CommandName } from './v2-command.ts';

const FIELDS = {
  title: p.object().optional(),
  params: p.object().optional(),
  common: p.bool().default(false),
  hidden: p.bool().default(false),
  extranetSupport: p.bool().default(false),
};

/**
 * b24restdocs chat-bots-v2/imbot.v2/commands/command-register.md (the `fields` format; the flat legacy format's
 * support ended 30.09.2026, change-log BOT-BC-0330-1). A visible command needs a title (COMMAND_TITLE_REQUIRED).
 * Registering a command the bot already has answers that command, as imbot.command.register does.
 */
export default defineBotMethod({
  name: 'imbot.v2.Command.register',
  args: { fields: p.object() },
  async handler({ bot, args }, { domain }) {
    const command = v2CommandName(args.fields.command, 'COMMAND_REQUIRED');
    const fields = bindParams(FIELDS, args.fields, 'controller');
    const lang = commandLangs(fields.title ?? {}, fields.params);
    if (!fields.hidden && !lang.length) throw new ApiError('COMMAND_TITLE_REQUIRED');
    const id = await domain.commands.register({
      botId: bot.id,
      appKey: bot.app_key,
      command,
      handler: await domain.v2Commands.appHandler(bot.app_key),
      lang,
      common: fields.common,
      hidden: fields.hidden,
      extranetSupport: fields.extranetSupport,
    });
    return { command: v2Command((await domain.commands.get(id))!) };
  },
});
