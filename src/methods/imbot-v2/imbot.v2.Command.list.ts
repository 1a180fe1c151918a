import { defineBotMethod } from './v2-bot-context.ts';
import { v2CommandListed } from './v2-command.ts';

/** b24restdocs chat-bots-v2/imbot.v2/commands/command-list.md: the bot's commands, oldest first. */
export default defineBotMethod({
  name: 'imbot.v2.Command.list',
  args: {},
  async handler({ bot }, { domain }) {
    const commands = await domain.v2Commands.ofBot(bot.id);
    return { commands: commands.map((c) => v2CommandListed(c, bot)) };
  },
});
