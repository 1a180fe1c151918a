import { fullName } from '../../domain/users.ts';
import { defineMethod } from '../define.ts';

/**
 * b24restdocs api-reference/chat-bots/outdated/bots/imbot-bot-list.md: every bot of the portal (the method takes
 * no CLIENT_ID, so it cannot be narrowed to an application), keyed by bot id; none → `[]`, PHP's empty array.
 */
export default defineMethod({
  name: 'imbot.bot.list',
  scope: 'imbot',
  params: {},
  async handler(_call, { domain }) {
    const bots = await domain.bots.all();
    if (!bots.length) return [];
    const users = await domain.users.getMany(bots.map((b) => b.id));
    const result: Record<string, unknown> = {};
    for (const bot of bots) {
      const user = users.get(bot.id);
      result[bot.id] = {
        ID: bot.id,
        NAME: user ? fullName(user) : '',
        CODE: bot.code,
        OPENLINE: bot.openline ? 'Y' : 'N',
      };
    }
    return result;
  },
});
