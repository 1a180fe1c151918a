import { commandLangs } from '../../domain/v2-commands.ts';
import { ApiError } from '../../wire/errors.ts';
import { bindParams } from '../../wire/params/bind.ts';
import { p } from '../../wire/params/coerce.ts';
import { defineBotMethod } from './v2-bot-context.ts';
import { botCommand, v2Command, v2CommandName } from './v2-command.ts';

const FIELDS = {
  title: p.object().optional(),
  params: p.object().optional(),
  common: p.bool().optional(),
  hidden: p.bool().optional(),
  extranetSupport: p.bool().optional(),
};

/**
 * b24restdocs chat-bots-v2/imbot.v2/commands/command-update.md. `title` merges per language: a string sets it,
 * `null` removes it, an absent key keeps it; `params` applies to the languages given in `title`. A name the bot
 * already uses → COMMAND_ALREADY_EXISTS.
 */
export default defineBotMethod({
  name: 'imbot.v2.Command.update',
  args: { commandId: p.int(), fields: p.object() },
  async handler({ bot, args }, services) {
    const { domain } = services;
    const command = await botCommand(services, bot, args.commandId);
    const name = 'command' in args.fields ? v2CommandName(args.fields.command, 'COMMAND_NAME_EMPTY') : undefined;
    const fields = bindParams(FIELDS, args.fields, 'controller');
    let lang: ReturnType<typeof commandLangs> | undefined;
    if (fields.title) {
      const kept = command.lang.filter((l) => !(l.LANGUAGE_ID in fields.title!));
      lang = [...kept, ...commandLangs(fields.title, fields.params)];
    }
    try {
      await domain.commands.update(command, {
        command: name,
        hidden: fields.hidden,
        extranetSupport: fields.extranetSupport,
        lang,
      });
    } catch (error) {
      // Commands speaks v1: WRONG_REQUEST "Command can't be updated" is a name the bot already has.
      if (error instanceof ApiError && error.code === 'WRONG_REQUEST') throw new ApiError('COMMAND_ALREADY_EXISTS');
      throw error;
    }
    if (fields.common !== undefined) await domain.v2Commands.setCommon(command.id, fields.common);
    return { command: v2Command((await domain.commands.get(command.id))!) };
  },
});
