import { EVENT_LIMIT } from '../../domain/v2-events.ts';
import { bindParams } from '../../wire/params/bind.ts';
import { p } from '../../wire/params/coerce.ts';
import { defineMethod } from '../define.ts';
import { eventsAnswer } from '../imbot-v2/v2-events-view.ts';

/**
 * b24restdocs chat-bots-v2/im.v2/events/event-get.md: the calling user's events (ONIMV2*) from their cursor, as
 * imbot.v2.Event.get pages a bot's. Not subscribed: nothing was recorded, an empty list.
 */
export default defineMethod({
  name: 'im.v2.Event.get',
  scope: 'im',
  params: {},
  async handler({ caller, raw }, services) {
    const args = bindParams(
      { offset: p.int().optional(), limit: p.int().default(EVENT_LIMIT.default) },
      raw,
      'controller',
    );
    const limit = Math.min(EVENT_LIMIT.max, Math.max(EVENT_LIMIT.min, args.limit));
    const polled = await services.domain.v2Events.poll({ userId: caller.userId }, args.offset, limit);
    return eventsAnswer(services, polled);
  },
});
