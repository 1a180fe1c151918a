import { createHash } from 'node:crypto';
import type { Clock } from '../clock.ts';
import { HANDLER_EVENTS, type HandlerName } from '../domain/bots.ts';
import type { AppEvent, BotEvent, EventBot, EventSink, UserEvent } from '../domain/events.ts';
import type { Database, Db } from '../store/db.ts';

/** LISTEN/NOTIFY channel: a committed event wakes every dispatcher connected to the database. */
export const EVENTS_CHANNEL = 'b24_events';

/** First key of the per-bot advisory lock (the second is the bot id). */
const BOT_LOCK = 0x6576;

/** First key of the per-(application, dialog) advisory lock (the second is a hash of the two). */
const ORDER_LOCK = 0x6f72;

/** First key of the per-subscriber advisory lock of im.v2 user events (the second is the user id). */
const SUBSCRIBER_LOCK = 0x696d;

const HANDLER_OF = Object.fromEntries(Object.entries(HANDLER_EVENTS).map(([name, event]) => [event, name])) as Record<
  string,
  HandlerName
>;

interface Target {
  url: string;
  handlerId: number;
  /** event.bind `auth_type`; 0 = the user who fired the event. */
  authUserId: number;
}

/** A transaction's events waiting for its commit. */
interface Pending {
  bots: { event: BotEvent; bots: EventBot[] }[];
  users: { event: UserEvent; subscribers: number[] }[];
}

/** Advisory lock keys, as two parallel arrays (the first and second key of each). */
type Locks = [number[], number[]];
const NO_LOCKS: Locks = [[], []];

interface Binding {
  id: number;
  app_id: number;
  auth_connector: string;
}

interface LogEntry {
  event: string;
  appKey: string;
  botIds?: number[];
  botCodes?: string[];
  dialogId?: string;
  userId: number;
  data: Record<string, unknown>;
  command?: Record<string, unknown>;
}

/** A log row with what its deliveries need: the bot's own handler URL, the object the offline queue keys on. */
interface QueuedEntry extends LogEntry {
  own?: string;
  object?: string;
}

/**
 * The durable event log and outbox. Inside the caller's transaction it appends the event to `event_log` (one row
 * per application addressed) and queues one delivery per handler URL: the bot's own v1 handler and the
 * application's event.bind subscriptions; offline subscriptions get a row in the offline queue instead. Nothing
 * leaves the process here: the dispatcher sends what committed.
 */
export class OutboxEventSink implements EventSink {
  /** Each open transaction's events (bot events, and user events with their subscribers), written when it commits. */
  private readonly pending = new WeakMap<Db, Pending>();

  /** A NOTIFY is on its way; `again`: more events committed meanwhile. */
  private notifying = false;
  private again = false;

  constructor(
    private readonly clock: Clock,
    private readonly db?: Database,
    /** Told at once when events of this process have committed: its own dispatcher need not wait for the NOTIFY. */
    private readonly committed: () => void = () => {},
  ) {}

  async emit(tx: Db, event: BotEvent): Promise<void> {
    const ids = [...new Set(event.botIds)];
    if (!ids.length) return;
    // The bots as they are now: ONIMBOTDELETE is emitted before the bot's row goes.
    const bots =
      event.bots?.filter((b) => ids.includes(b.id)) ??
      (await tx.query<EventBot>('SELECT id, code, app_key, handlers FROM bots WHERE id = ANY($1) ORDER BY id', [ids]));
    this.queue(tx).bots.push({ event, bots });
  }

  private queue(tx: Db): Pending {
    let queue = this.pending.get(tx);
    if (!queue) {
      const events: Pending = { bots: [], users: [] };
      this.pending.set(tx, events);
      tx.beforeCommit(() => this.write(tx, events));
      queue = events;
    }
    return queue;
  }

  /**
   * Events of one ordering key commit one transaction at a time, so their rows are numbered in commit order: the
   * dispatcher sends a key's deliveries in id order. The key is the application and the dialog (deliveries are
   * ordered per application, dialog and handler URL), so messages to one bot in different dialogs commit in
   * parallel and their WAL flushes are batched. ONIMBOTV2* rows are also polled per bot (imbot.v2.Event.get reads a
   * bot's rows by id), so they keep a per-bot lock too; an im.v2 user event takes its subscribers' locks. All the
   * locks of a transaction are taken together, in one order, just before it commits, after every row lock it takes:
   * two transactions cannot deadlock on them, nor on them and rows (a subscriber's lock taken mid-transaction, then
   * a chat's row, deadlocked against a message sent in that chat: row, then subscriber).
   */
  private async write(tx: Db, events: Pending): Promise<void> {
    const locks = new Map<string, [number, number]>();
    for (const { subscribers } of events.users) {
      for (const id of subscribers) locks.set(`${SUBSCRIBER_LOCK},${id}`, [SUBSCRIBER_LOCK, id]);
    }
    for (const { event, bots } of events.bots) {
      for (const bot of bots) {
        const dialog = orderLock(bot.app_key, event.dialogId);
        locks.set(dialog.join(), dialog);
        if (event.event.startsWith('ONIMBOTV2')) locks.set(`${BOT_LOCK},${bot.id}`, [BOT_LOCK, bot.id]);
      }
    }
    const sorted = [...locks.values()].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    // The locks go with the first log row's statement (a round trip less per message), else on their own.
    let unlocked: Locks | undefined = [sorted.map((l) => l[0]), sorted.map((l) => l[1])];
    for (const { event, bots } of events.bots) {
      for (const entry of this.entries(event, bots)) {
        await this.appendAndQueue(tx, entry, unlocked ?? NO_LOCKS);
        unlocked = undefined;
      }
    }
    if (unlocked && sorted.length) {
      await tx.query(
        'SELECT count(pg_advisory_xact_lock(k, v)) FROM unnest($1::int[], $2::int[]) AS t(k, v)',
        unlocked,
      );
    }
    for (const { event, subscribers } of events.users) await this.record(tx, event, subscribers);
    if (events.bots.length) tx.afterCommit(this.announce);
  }

  /**
   * Wakes this process's dispatcher at once and every dispatcher (LISTEN) once events have committed. Not from inside the event's transaction: PostgreSQL
   * serialises the commits of notifying transactions (a database-wide lock held through the WAL flush), which would
   * undo the parallel commits of different dialogs. At most one NOTIFY of this process is on its way; events that
   * commit meanwhile are announced by one more. A lost NOTIFY costs a poll interval, never an event.
   */
  private readonly announce = (): void => {
    this.committed();
    if (!this.db) return;
    if (this.notifying) {
      this.again = true;
      return;
    }
    this.notifying = true;
    this.db
      .query('SELECT pg_notify($1, $2)', [EVENTS_CHANNEL, ''])
      .catch(() => {})
      .finally(() => {
        this.notifying = false;
        if (this.again) {
          this.again = false;
          this.announce();
        }
      });
  };

  /** The log rows of a bot event, each with its bot's own handler URL. */
  private *entries(event: BotEvent, bots: EventBot[]): Generator<QueuedEntry> {
    // data[BOT] is keyed by bot id because one event can address several bots of one application; ONIMBOTDELETE
    // names a single bot (data[BOT_ID]), so it is split per bot.
    const groups = event.event === 'ONIMBOTDELETE' ? bots.map((bot) => [bot]) : groupByApp(bots);
    for (const group of groups) {
      const own =
        event.handler ??
        (event.event === 'ONIMCOMMANDADD' ? event.command?.handler : group[0].handlers[HANDLER_OF[event.event]]);
      yield {
        event: event.event,
        appKey: group[0].app_key,
        botIds: group.map((b) => b.id),
        botCodes: group.map((b) => b.code),
        dialogId: event.dialogId,
        userId: event.userId,
        data: event.params,
        command: event.command && { id: event.commandId ?? 0, ...event.command },
        own: own || undefined,
        object: event.params.MESSAGE_ID == null ? undefined : String(event.params.MESSAGE_ID),
      };
    }
  }

  async emitApp(tx: Db, event: AppEvent): Promise<void> {
    const app = await tx.one<{ client_id: string }>('SELECT client_id FROM apps WHERE id = $1', [event.appId]);
    if (!app) return;
    await this.appendAndQueue(tx, { ...event, appKey: app.client_id }, NO_LOCKS);
    tx.afterCommit(this.announce);
  }

  /**
   * One row per subscribed member who sees the event, in that member's stream (`subscriber_id`). Who that is, is read
   * now; the rows are written at commit under the subscribers' locks, so each stream's ids are in commit order:
   * im.v2.Event.get acknowledges by id.
   */
  async emitUser(tx: Db, event: UserEvent): Promise<void> {
    const subscribers =
      event.subscribers ??
      (
        await tx.query<{ user_id: number }>(
          `SELECT m.user_id FROM chat_members m JOIN im_v2_subscriptions s ON s.user_id = m.user_id
           WHERE m.chat_id = $1 AND ($2::bigint IS NULL OR m.start_id <= $2) ORDER BY m.user_id`,
          [event.chatId, event.messageId ?? null],
        )
      ).map((r) => r.user_id);
    if (subscribers.length) this.queue(tx).users.push({ event, subscribers });
  }

  private async record(tx: Db, event: UserEvent, subscribers: number[]): Promise<void> {
    await tx.query(
      `INSERT INTO event_log (event, app_key, subscriber_id, user_id, data, created_at)
       SELECT $1, '', s, $2, $3, $4 FROM unnest($5::int[]) WITH ORDINALITY AS t(s, n) ORDER BY n`,
      [event.event, event.data.userId, JSON.stringify(event.data), event.at, subscribers],
    );
  }

  private async append(tx: Db, entry: LogEntry): Promise<number> {
    const row = await tx.one<{ id: number }>(
      `INSERT INTO event_log (event, app_key, bot_ids, bot_codes, dialog_id, user_id, data, command, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
      [
        entry.event,
        entry.appKey,
        entry.botIds ?? [],
        entry.botCodes ?? [],
        entry.dialogId ?? '',
        entry.userId,
        JSON.stringify(entry.data),
        entry.command ? JSON.stringify(entry.command) : null,
        new Date(this.clock.now()),
      ],
    );
    return row!.id;
  }

  /**
   * One statement (one round trip) for what every event writes: the transaction's ordering locks, the log row (its
   * id taken after the locks), the event_handler_id of the bot's own URL (made on first use), the application's
   * event.bind subscriptions and a delivery per handler URL: the own URL first, then the online subscriptions by id,
   * one per (URL, auth_type). Offline subscriptions, rare, are queued by the statements after it.
   */
  private async appendAndQueue(tx: Db, entry: QueuedEntry, locks: Locks): Promise<void> {
    const now = new Date(this.clock.now());
    const dialogId = entry.dialogId ?? '';
    const row = (await tx.one<{ id: number; own_id: number | null; offline: Binding[] }>(
      `WITH locked AS (
         SELECT count(pg_advisory_xact_lock(k, v)) FROM unnest($1::int[], $2::int[]) AS t(k, v)
       ), logged AS (
         INSERT INTO event_log (event, app_key, bot_ids, bot_codes, dialog_id, user_id, data, command, created_at)
         SELECT $3::text, $4::text, $5::int[], $6::text[], $7::text, $8::int, $9::json, $10::jsonb, $11::timestamptz
         FROM locked
         RETURNING id
       ), found AS (
         SELECT id FROM bot_handler_ids WHERE app_key = $4 AND event = $3 AND handler = $12
       ), made AS (
         INSERT INTO bot_handler_ids (app_key, event, handler)
         SELECT $4, $3, $12 WHERE $12::text IS NOT NULL AND NOT EXISTS (SELECT 1 FROM found)
         ON CONFLICT DO NOTHING RETURNING id
       ), own AS (
         SELECT id FROM found UNION ALL SELECT id FROM made
       ), bound AS (
         SELECT h.id, h.app_id, h.handler, h.offline, h.user_id, h.auth_connector
         FROM event_handlers h JOIN apps a ON a.id = h.app_id
         WHERE a.client_id = $4 AND h.event = $3
       ), online AS (
         SELECT DISTINCT ON (handler, user_id) id, handler, user_id FROM bound
         WHERE NOT offline AND (handler, user_id) IS DISTINCT FROM ($12::text, 0)
         ORDER BY handler, user_id, id
       ), targets AS (
         SELECT 0 AS n, $12::text AS url, id AS handler_id, 0 AS auth_user_id FROM own
         UNION ALL
         SELECT 1, handler, id, user_id FROM online
       ), queued AS (
         INSERT INTO event_deliveries (event_id, url, handler_id, auth_user_id, order_key, next_attempt_at, created_at)
         SELECT logged.id, t.url, t.handler_id, t.auth_user_id, $13::text || t.url, $11, $11
         FROM logged, targets t ORDER BY t.n, t.handler_id
       )
       SELECT (SELECT id FROM logged) AS id, (SELECT id FROM own) AS own_id,
              (SELECT COALESCE(json_agg(b ORDER BY b.id), '[]') FROM bound b WHERE b.offline) AS offline`,
      [
        ...locks,
        entry.event,
        entry.appKey,
        entry.botIds ?? [],
        entry.botCodes ?? [],
        dialogId,
        entry.userId,
        JSON.stringify(entry.data),
        entry.command ? JSON.stringify(entry.command) : null,
        now,
        entry.own ?? null,
        `${entry.appKey}\n${dialogId}\n`,
      ],
    ))!;
    if (entry.own && row.own_id === null) {
      // Another transaction made the URL's event_handler_id meanwhile: it is visible now.
      const handlerId = await botHandlerId(tx, entry.appKey, entry.event, entry.own);
      const target = { url: entry.own, handlerId, authUserId: 0 };
      await this.deliver(tx, row.id, `${entry.appKey}\n${dialogId}\n`, [target], now);
    }
    if (!row.offline.length) return;
    const object = entry.object ?? `#${row.id}`;
    for (const binding of row.offline) await this.enqueueOffline(tx, binding, row.id, entry.event, object, now);
    for (const appId of new Set(row.offline.map((b) => b.app_id))) {
      await this.signalOffline(tx, appId, entry.appKey, entry.userId, now);
    }
  }

  private async deliver(tx: Db, eventId: number, orderKey: string, targets: Target[], now: Date): Promise<void> {
    if (!targets.length) return;
    // Deliveries of one application about one dialog to one URL go out in order (order_key = app, dialog, URL).
    await tx.query(
      `INSERT INTO event_deliveries (event_id, url, handler_id, auth_user_id, order_key, next_attempt_at, created_at)
       SELECT $1, t.url, t.handler_id, t.auth_user_id, $2 || t.url, $3, $3
       FROM unnest($4::text[], $5::int[], $6::int[]) AS t(url, handler_id, auth_user_id)`,
      [
        eventId,
        orderKey,
        now,
        targets.map((t) => t.url),
        targets.map((t) => t.handlerId),
        targets.map((t) => t.authUserId),
      ],
    );
  }

  /**
   * The offline queue keeps the latest state per object (b24restdocs api-reference/events/offline-events.md):
   * a newer event about a message still waiting replaces it. MESSAGE_ID is 32 hex chars, as event.offline.clear
   * expects.
   */
  private async enqueueOffline(
    tx: Db,
    binding: { app_id: number; auth_connector: string },
    eventId: number,
    event: string,
    object: string,
    now: Date,
  ): Promise<void> {
    const messageId = createHash('md5').update(`${event}:${object}`).digest('hex');
    await tx.query(
      `INSERT INTO event_offline (app_id, auth_connector, event_id, event, message_id, timestamp_x)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (app_id, auth_connector, message_id) WHERE process_id = '' AND NOT error
       DO UPDATE SET event_id = EXCLUDED.event_id, timestamp_x = EXCLUDED.timestamp_x`,
      [binding.app_id, binding.auth_connector, eventId, event, messageId, now],
    );
  }

  /** ONOFFLINEEVENT to the application's online subscriptions, at most once per `options.minTimeout` seconds. */
  private async signalOffline(tx: Db, appId: number, appKey: string, userId: number, now: Date): Promise<void> {
    const due = await tx.query<{ id: number; handler: string; user_id: number }>(
      `UPDATE event_handlers SET notified_at = $2
       WHERE app_id = $1 AND event = 'ONOFFLINEEVENT' AND NOT offline
         AND (notified_at IS NULL
              OR notified_at <= $2::timestamptz - make_interval(secs => COALESCE((options->>'minTimeout')::int, 1)))
       RETURNING id, handler, user_id`,
      [appId, now],
    );
    if (!due.length) return;
    const eventId = await this.append(tx, { event: 'ONOFFLINEEVENT', appKey, userId, data: {} });
    const targets = due.map((h) => ({ url: h.handler, handlerId: h.id, authUserId: h.user_id }));
    await this.deliver(tx, eventId, `${appKey}\n\n`, targets, now);
  }
}

function groupByApp(bots: EventBot[]): EventBot[][] {
  const groups = new Map<string, EventBot[]>();
  for (const bot of bots) groups.set(bot.app_key, [...(groups.get(bot.app_key) ?? []), bot]);
  return [...groups.values()];
}

/** The event_handler_id of a bot's own handler URL: a row per (application, event, URL), made on first use. */
async function botHandlerId(tx: Db, appKey: string, event: string, url: string): Promise<number> {
  const find = () =>
    tx.one<{ id: number }>('SELECT id FROM bot_handler_ids WHERE app_key = $1 AND event = $2 AND handler = $3', [
      appKey,
      event,
      url,
    ]);
  const found =
    (await find()) ??
    (await tx.one<{ id: number }>(
      `INSERT INTO bot_handler_ids (app_key, event, handler) VALUES ($1, $2, $3)
       ON CONFLICT DO NOTHING RETURNING id`,
      [appKey, event, url],
    )) ??
    (await find());
  return found!.id;
}

/** The advisory lock of an ordering key; a hash collision only makes two keys wait for each other. */
function orderLock(appKey: string, dialogId: string): [number, number] {
  return [ORDER_LOCK, createHash('md5').update(`${appKey}\n${dialogId}`).digest().readInt32BE(0)];
}
