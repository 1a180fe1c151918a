import type { Clock } from '../clock.ts';
import type { Db } from '../store/db.ts';

/**
 * How long an unacknowledged event stays fetchable. The imbot.v2 pages give no storage period; the im.v2 pages give
 * 24 hours for the same kind of queue (im.v2/events/index.md#limits), and so do we (docs/decisions.md).
 */
export const EVENT_RETENTION_MS = 24 * 3600 * 1000;

/** Events per call (event-get.md: 1–1000, 100 by default). */
export const EVENT_LIMIT = { min: 1, max: 1000, default: 100 } as const;

export interface LoggedV2Event {
  id: number;
  event: string;
  data: Record<string, unknown>;
  created_at: Date;
}

export interface Polled {
  events: LoggedV2Event[];
  nextOffset: number;
  hasMore: boolean;
}

/**
 * The fetch queue of a v2 bot (b24restdocs chat-bots-v2/imbot.v2/events/event-get.md) over the one event log: a
 * bot's events are its ONIMBOTV2* rows, numbered in commit order per bot (OutboxEventSink holds a per-bot lock until
 * commit), so reading by id never skips one that commits later. `offset` acknowledges every event below it, for
 * good: the queue remembers it per bot, and a call without `offset` continues from there. Unacknowledged events are
 * returned again (at least once).
 */
export class V2Events {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  async poll(botId: number, offset: number | undefined, limit: number): Promise<Polled> {
    return this.db.tx(async (tx) => {
      const acked = await tx.one<{ acked: number }>(
        offset === undefined
          ? 'SELECT acked FROM v2_event_cursors WHERE bot_id = $1'
          : `INSERT INTO v2_event_cursors (bot_id, acked) VALUES ($1, $2)
             ON CONFLICT (bot_id) DO UPDATE SET acked = GREATEST(v2_event_cursors.acked, EXCLUDED.acked)
             RETURNING acked`,
        offset === undefined ? [botId] : [botId, offset],
      );
      const from = acked?.acked ?? 0;
      const rows = await tx.query<LoggedV2Event>(
        `SELECT id, event, data, created_at FROM event_log
         WHERE bot_ids @> ARRAY[$1]::int[] AND id >= $2 AND event LIKE 'ONIMBOTV2%' AND created_at > $3
         ORDER BY id LIMIT $4`,
        [botId, from, new Date(this.clock.now() - EVENT_RETENTION_MS), limit + 1],
      );
      const events = rows.slice(0, limit);
      return {
        events,
        nextOffset: events.length ? events[events.length - 1].id + 1 : from,
        hasMore: rows.length > limit,
      };
    });
  }
}
