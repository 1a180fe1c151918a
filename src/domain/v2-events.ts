import type { Clock } from '../clock.ts';
import type { Db } from '../store/db.ts';

/**
 * How long an unacknowledged event stays fetchable: 24 hours, the im.v2 pages' storage period
 * (im.v2/events/index.md#limits); the imbot.v2 pages give none, and we use the same (docs/decisions.md).
 */
export const EVENT_RETENTION_MS = 24 * 3600 * 1000;

/** Events per call (event-get.md: 1–1000, 100 by default). */
export const EVENT_LIMIT = { min: 1, max: 1000, default: 100 } as const;

export interface LoggedV2Event {
  id: number;
  event: string;
  /** The user whose stream an im.v2 event is in; null for bot events. */
  subscriber_id: number | null;
  data: Record<string, unknown>;
  created_at: Date;
}

export interface Polled {
  events: LoggedV2Event[];
  nextOffset: number;
  hasMore: boolean;
}

/** Whose queue to read: a bot's ONIMBOTV2* events, a subscribed user's ONIMV2* events, or both at once. */
export interface Streams {
  botId?: number;
  userId?: number;
}

/**
 * The fetch queues of Chatbots 2.0 over the one event log (b24restdocs chat-bots-v2/imbot.v2/events/event-get.md,
 * im.v2/events/event-get.md). A bot's events are its ONIMBOTV2* rows (OutboxEventSink numbers them in commit order
 * per bot); a user's are the ONIMV2* rows recorded for them while subscribed (EventSink.emitUser). `offset`
 * acknowledges every event below it, for good, in every stream read (one offset acks both); without it a queue
 * continues from its last acknowledgement. Unacknowledged events are returned again (at least once).
 */
export class V2Events {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  async poll(streams: Streams, offset: number | undefined, limit: number): Promise<Polled> {
    return this.db.tx(async (tx) => {
      const botFrom =
        streams.botId === undefined ? 0 : await this.ack(tx, 'v2_event_cursors', 'bot_id', streams.botId, offset);
      const userFrom =
        streams.userId === undefined ? 0 : await this.ack(tx, 'im_v2_cursors', 'user_id', streams.userId, offset);
      const rows = await tx.query<LoggedV2Event>(
        `SELECT id, event, subscriber_id, data, created_at FROM event_log
         WHERE ((bot_ids @> ARRAY[$1]::int[] AND event LIKE 'ONIMBOTV2%' AND id >= $2)
                OR (subscriber_id = $3 AND id >= $4))
           AND created_at > $5
         ORDER BY id LIMIT $6`,
        [
          streams.botId ?? 0,
          botFrom,
          streams.userId ?? 0,
          userFrom,
          new Date(this.clock.now() - EVENT_RETENTION_MS),
          limit + 1,
        ],
      );
      const events = rows.slice(0, limit);
      const cursor = Math.max(streams.botId === undefined ? 0 : botFrom, streams.userId === undefined ? 0 : userFrom);
      return {
        events,
        nextOffset: events.length ? events[events.length - 1].id + 1 : cursor,
        hasMore: rows.length > limit,
      };
    });
  }

  /** Records `offset` as acknowledged (never moving back); returns the queue's first unacknowledged id. */
  private async ack(
    tx: Db,
    table: 'v2_event_cursors' | 'im_v2_cursors',
    key: 'bot_id' | 'user_id',
    id: number,
    offset: number | undefined,
  ): Promise<number> {
    const row = await tx.one<{ acked: number }>(
      offset === undefined
        ? `SELECT acked FROM ${table} WHERE ${key} = $1`
        : `INSERT INTO ${table} (${key}, acked) VALUES ($1, $2)
           ON CONFLICT (${key}) DO UPDATE SET acked = GREATEST(${table}.acked, EXCLUDED.acked) RETURNING acked`,
      offset === undefined ? [id] : [id, offset],
    );
    return row?.acked ?? 0;
  }

  /** im.v2.Event.subscribe: start recording the user's events (idempotent). */
  async subscribe(userId: number): Promise<void> {
    await this.db.query(
      'INSERT INTO im_v2_subscriptions (user_id, created_at) VALUES ($1, $2) ON CONFLICT DO NOTHING',
      [userId, new Date(this.clock.now())],
    );
  }

  /** im.v2.Event.unsubscribe: stop recording; what was recorded stays until acknowledged or expired. */
  async unsubscribe(userId: number): Promise<void> {
    await this.db.query('DELETE FROM im_v2_subscriptions WHERE user_id = $1', [userId]);
  }

  async isSubscribed(userId: number): Promise<boolean> {
    return Boolean(await this.db.one('SELECT 1 FROM im_v2_subscriptions WHERE user_id = $1', [userId]));
  }
}
