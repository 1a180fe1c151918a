import { hasScope } from '../../domain/caller.ts';
import { v2Bot } from '../../domain/v2-entities.ts';
import { EVENT_LIMIT } from '../../domain/v2-events.ts';
import { ApiError } from '../../wire/errors.ts';
import { p } from '../../wire/params/coerce.ts';
import { defineBotMethod } from './v2-bot-context.ts';
import { eventsAnswer } from './v2-events-view.ts';

/**
 * b24restdocs chat-bots-v2/imbot.v2/events/event-get.md: the bot's queue from its cursor. `offset` acknowledges
 * every event below it; `nextOffset` is the one to pass next (last id + 1, or the cursor when nothing is new).
 * `limit` outside 1–1000 is brought into range (docs/decisions.md). `withUserEvents` adds the calling user's im.v2
 * events to the same answer, one offset acknowledging both: it needs the `im` scope (SCOPE_ERROR), a user
 * (AUTH_ERROR) and their im.v2.Event.subscribe (USER_NOT_SUBSCRIBED).
 */
export default defineBotMethod({
  name: 'imbot.v2.Event.get',
  args: {
    offset: p.int().optional(),
    limit: p.int().default(EVENT_LIMIT.default),
    withUserEvents: p.bool().default(false),
  },
  async handler({ bot, args, caller }, services) {
    const { domain } = services;
    let userId: number | undefined;
    if (args.withUserEvents) {
      if (!hasScope(caller, 'im')) throw new ApiError('SCOPE_ERROR');
      if (caller.userId <= 0) throw new ApiError('AUTH_ERROR');
      if (!(await domain.v2Events.isSubscribed(caller.userId))) throw new ApiError('USER_NOT_SUBSCRIBED');
      userId = caller.userId;
    }
    const limit = Math.min(EVENT_LIMIT.max, Math.max(EVENT_LIMIT.min, args.limit));
    const polled = await domain.v2Events.poll({ botId: bot.id, userId }, args.offset, limit);
    const counts = (await domain.v2Bots.counts([bot.id])).get(bot.id);
    return eventsAnswer(services, polled, v2Bot(bot, counts));
  },
});
