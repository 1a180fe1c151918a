import { hasScope } from '../../domain/caller.ts';
import { orderedEventData, v2Bot } from '../../domain/v2-entities.ts';
import { EVENT_LIMIT } from '../../domain/v2-events.ts';
import { atom } from '../../http/envelope.ts';
import { ApiError } from '../../http/errors.ts';
import { p } from '../../http/params/coerce.ts';
import { defineBotMethod } from './v2-bot-context.ts';

/**
 * b24restdocs chat-bots-v2/imbot.v2/events/event-get.md: the bot's queue from its cursor. `offset` acknowledges
 * every event below it; `nextOffset` is the one to pass next (last id + 1, or the cursor when nothing is new).
 * `limit` outside 1–1000 is brought into range (docs/decisions.md). Each event's `data` carries the full Bot
 * object, as Bot.get answers it, first (events.md#bot-format, FETCH). `withUserEvents` needs the `im` scope
 * (SCOPE_ERROR) and a user subscribed with im.v2.Event.subscribe (USER_NOT_SUBSCRIBED).
 */
export default defineBotMethod({
  name: 'imbot.v2.Event.get',
  args: {
    offset: [p.int().optional(), 'int'],
    limit: [p.int().default(EVENT_LIMIT.default), 'int'],
    withUserEvents: [p.bool().default(false), 'bool'],
  },
  async handler({ bot, args, caller }, { domain }) {
    if (args.withUserEvents) {
      if (!hasScope(caller, 'im')) throw new ApiError('SCOPE_ERROR');
      throw new ApiError('USER_NOT_SUBSCRIBED');
    }
    const limit = Math.min(EVENT_LIMIT.max, Math.max(EVENT_LIMIT.min, args.limit));
    const polled = await domain.v2Events.poll(bot.id, args.offset, limit);
    const counts = (await domain.v2Bots.counts([bot.id])).get(bot.id);
    const botObject = v2Bot(bot, counts);
    return {
      events: polled.events.map((e) => ({
        eventId: e.id,
        type: e.event,
        date: atom(e.created_at.getTime()),
        data: orderedEventData({ bot: botObject, ...e.data }),
      })),
      nextOffset: polled.nextOffset,
      hasMore: polled.hasMore,
    };
  },
});
