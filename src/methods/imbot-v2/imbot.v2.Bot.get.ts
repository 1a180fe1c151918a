import type { Bot } from '../../domain/bots.ts';
import { ApiError } from '../../wire/errors.ts';
import { bindParams } from '../../wire/params/bind.ts';
import { p } from '../../wire/params/coerce.ts';
import { defineMethod } from '../define.ts';
import { v2Application, v2BotById } from './v2-bot-context.ts';
import { botAnswer } from './v2-bot-fields.ts';

/**
 * b24restdocs chat-bots-v2/imbot.v2/bots/bot-get.md: one bot by `botId` or `code` (neither → PARAMS_REQUIRED).
 * Any application may look a bot up; its owner gets the extended format, others the brief one.
 */
export default defineMethod({
  name: 'imbot.v2.Bot.get',
  scope: 'imbot',
  params: {},
  async handler({ caller, raw }, services) {
    const { domain } = services;
    const app = v2Application(caller, raw.botToken);
    const { code } = bindParams({ code: p.string().optional() }, raw, 'controller');
    let bot: Bot | undefined;
    if (raw.botId !== undefined && raw.botId !== null && raw.botId !== '') bot = await v2BotById(domain, raw.botId);
    else if (code?.trim()) {
      const row = await domain.bots.byCode(code.trim());
      bot = row && (await domain.bots.get(row.id));
      if (!bot) throw new ApiError('BOT_NOT_FOUND');
    } else throw new ApiError('PARAMS_REQUIRED');
    return botAnswer(services, bot, bot.app_key === app);
  },
});
