import { p } from '../../wire/params/coerce.ts';
import { defineBotMethod } from './v2-bot-context.ts';
import { botCommand } from './v2-command.ts';

/** b24restdocs chat-bots-v2/imbot.v2/commands/command-unregister.md: one of the bot's commands. */
export default defineBotMethod({
  name: 'imbot.v2.Command.unregister',
  args: { commandId: p.int() },
  async handler({ bot, args }, services) {
    await services.domain.commands.unregister(await botCommand(services, bot, args.commandId));
    return { result: true };
  },
});
