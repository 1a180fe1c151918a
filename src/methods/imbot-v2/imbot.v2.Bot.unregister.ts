import { defineBotMethod } from './v2-bot-context.ts';

/**
 * b24restdocs chat-bots-v2/imbot.v2/bots/bot-unregister.md: deletes the bot with its private dialogs, as
 * imbot.unregister does; its polling queue goes with it.
 */
export default defineBotMethod({
  name: 'imbot.v2.Bot.unregister',
  args: {},
  async handler({ bot, caller }, { domain }) {
    await domain.bots.unregister(bot, caller.userId);
    return { result: true };
  },
});
