import { setTimeout as delay } from 'node:timers/promises';
import pg from 'pg';
import type { DeliveryAttempt, DeliveryTap } from '../app.ts';
import type { Clock } from '../clock.ts';
import type { DeliverySettings } from '../config/delivery-settings.ts';
import type { Database } from '../store/db.ts';
import { eventPayload, formEncode } from './event-body.ts';
import type { EventComposer, LoggedDelivery } from './event-composer.ts';
import type { HandlerHealth } from './handler-health.ts';
import type { HandlerClient } from './handler-post.ts';
import { EVENTS_CHANNEL } from './outbox-event-sink.ts';

/** Dialogs whose deliveries are in flight at once per dispatcher, all handler URLs together (one POST each). */
const MAX_IN_FLIGHT = 256;
/** Deliveries of one dialog leased by one claim, sent one after another without a round trip between them. */
const RUN_LENGTH = 64;
/** A claim outlives the attempt's timeout by this much before another dispatcher may take the delivery over. */
const LEASE_MARGIN_MS = 5000;
/** How much of a handler's answer the inspector keeps. */
const ANSWER_KEPT = 4096;

/** Records delivered deliveries: parameters of the ids, the answer times and the statuses (`deliveredParams`). */
const markDelivered = (first: number) =>
  `UPDATE event_deliveries d SET status = 'delivered', delivered_at = t.at, lease_until = NULL,
     last_status = t.status, last_error = NULL
   FROM unnest($${first}::bigint[], $${first + 1}::timestamptz[], $${first + 2}::int[]) AS t(id, at, status)
   WHERE d.id = t.id`;

/** Gives back leased deliveries not sent (their attempt not counted): parameters of the ids and of their attempts. */
const giveBack = (ids: number, attempts: number) =>
  `UPDATE event_deliveries d SET lease_until = NULL, attempts = d.attempts - 1
   FROM unnest($${ids}::bigint[], $${attempts}::int[]) AS t(id, attempts)
   WHERE d.id = t.id AND d.attempts = t.attempts AND d.status = 'pending'`;

interface Claimed extends LoggedDelivery {
  id: number;
  event_id: number;
  url: string;
  attempts: number;
  created_at: Date;
  dialog_id: string;
  order_key: string;
}

/** A delivery answered with 2xx, recorded with the next claim. */
interface Delivered {
  id: number;
  at: Date;
  status: number | null;
}

interface Outcome {
  ok: boolean;
  status: number | null;
  error: string | null;
  /** The handler's answer, kept when the control API records attempts. */
  answer?: string;
}

interface Logger {
  warn(obj: unknown, msg?: string): void;
}

/** Delay before attempt `attempts + 1`: the minimum, doubled per failed attempt, capped. */
function retryDelay(settings: DeliverySettings, attempts: number): number {
  return Math.min(settings.retryMaxMs, settings.retryMinMs * 2 ** Math.max(0, attempts - 1));
}

/**
 * Sends queued deliveries to handler URLs, at least once, in order per (application, dialog, URL). Several
 * dispatchers (processes, nodes) may share one database: a delivery is claimed with `FOR UPDATE SKIP LOCKED` and
 * a lease, and one whose dispatcher died is taken over when its lease expires. New events wake every dispatcher
 * through LISTEN/NOTIFY; retries and expired leases are found by a short poll.
 */
export class Dispatcher {
  private stopped = false;
  private woken = false;
  private wakeUp: (() => void) | null = null;
  private readonly inFlight = new Set<Promise<void>>();
  /** POSTs in flight per handler URL (at most `settings.concurrency` each). */
  private readonly perUrl = new Map<string, number>();
  private loop: Promise<void> | null = null;
  private listening: Promise<void> | null = null;
  private listener: pg.Client | null = null;
  private readonly stopping = new AbortController();
  /** Clock timers that wake the loop when a retry falls due (at once when a virtual clock is moved past it). */
  private readonly retryTimers = new Set<() => void>();
  /** Deliveries answered with 2xx, recorded together in the next claim's statement (or one UPDATE of their own). */
  private readonly delivered: Delivered[] = [];

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly settings: DeliverySettings,
    private readonly composer: EventComposer,
    private readonly log: Logger,
    private readonly client: HandlerClient,
    private readonly health: HandlerHealth,
    /** The control API's tap, read at each attempt (it may be mounted after this feature). */
    private readonly tap: () => DeliveryTap | undefined = () => undefined,
  ) {}

  start(): void {
    this.loop = this.run();
    this.listening = this.listen();
  }

  /** Look for due deliveries now (a new event, a finished attempt, or a test that moved the clock). */
  wake = (): void => {
    this.woken = true;
    this.wakeUp?.();
  };

  /** Stops claiming, waits for the attempts in flight to finish and record their outcome. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.stopping.abort();
    for (const cancel of this.retryTimers) cancel();
    this.wake();
    await this.listener?.end().catch(() => {});
    await this.loop;
    await this.listening;
    await Promise.all(this.inFlight);
    await this.recordDelivered();
    this.client.close();
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      this.woken = false;
      const free = MAX_IN_FLIGHT - this.inFlight.size;
      if (free > 0) {
        const delivered = this.delivered.splice(0);
        try {
          const leaseUntil = this.clock.now() + this.settings.timeoutMs + LEASE_MARGIN_MS;
          for (const run of runs(await this.claim(free, delivered, leaseUntil))) {
            this.track(run[0].url, this.sendRun(run, leaseUntil));
          }
        } catch (error) {
          this.delivered.unshift(...delivered); // the statement rolled back: recorded with the next one
          this.log.warn({ err: error }, 'event delivery: claiming failed');
        }
      } else await this.recordDelivered();
      if (!this.woken) await this.sleep(this.settings.pollMs);
    }
  }

  private track(url: string, attempt: Promise<void>): void {
    this.inFlight.add(attempt);
    this.perUrl.set(url, (this.perUrl.get(url) ?? 0) + 1);
    attempt.finally(() => {
      this.inFlight.delete(attempt);
      const left = this.perUrl.get(url)! - 1;
      if (left) this.perUrl.set(url, left);
      else this.perUrl.delete(url);
      this.wake(); // the next delivery of the same dialog may go now
    });
  }

  /**
   * A dialog's leased deliveries, in order, each after its predecessor's answer. A failure that will be retried
   * ends the run and gives back the deliveries after it with its outcome (they wait for it); stopping and a lease
   * too short for one more attempt end it too, and give them back.
   */
  private async sendRun(run: Claimed[], leaseUntil: number): Promise<void> {
    for (let i = 0; i < run.length; i++) {
      if (!(await this.send(run[i], run.slice(i + 1)))) return;
      if (i + 1 < run.length && (this.stopped || this.clock.now() + this.settings.timeoutMs > leaseUntil)) {
        return this.release(run.slice(i + 1));
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = done;
    });
  }

  /**
   * Records the deliveries answered since the last claim and leases the next ones, in one statement. It takes up to
   * `limit` order keys (dialogs) whose oldest pending delivery is due and not leased, at most `settings.concurrency`
   * in flight per handler URL, and of each key its first RUN_LENGTH deliveries up to one that is not due or leased:
   * a dialog's run is sent one POST after another with no claim between them, and the outcomes are recorded with
   * the next claim. A delivered or finally failed predecessor no longer holds its successors back. Only the rows it
   * leases are locked (SKIP LOCKED: another dispatcher's are left to it, and a row leased meanwhile fails the
   * re-checked lease); of a key only the rows before the first one it could not lock are leased, so two
   * dispatchers never hold parts of one dialog at once. The rows of full URLs (`fullUrls`) are left out before any
   * predecessor is looked up. Planned at every call (`replan`): the table grows from nothing in seconds, and a
   * generic plan made while it was small probed every pending row against every other (P5: 1 s per claim at 1,500
   * pending rows over 1,000 dialogs, 7 s over 32; planned for its size, 8 and 40 ms). A head is "its dialog's first
   * pending row", a scalar subquery (one index probe per row scanned), not `NOT EXISTS`: that became a hash
   * anti-join reading every pending row before the `LIMIT` could stop the scan.
   */
  private claim(limit: number, delivered: Delivered[], leaseUntil: number): Promise<Claimed[]> {
    const now = this.clock.now();
    const busy = Object.fromEntries(this.perUrl);
    return this.db.query<Claimed>(
      `WITH done AS (${markDelivered(6)}), heads AS (
         SELECT d.id, d.url, d.order_key FROM event_deliveries d
         WHERE d.status = 'pending' AND d.next_attempt_at <= $1 AND (d.lease_until IS NULL OR d.lease_until <= $1)
           AND d.url <> ALL($10::text[]) AND d.id NOT IN (SELECT unnest($6::bigint[]))
           AND d.id = (SELECT e.id FROM event_deliveries e
                       WHERE e.status = 'pending' AND e.order_key = d.order_key AND NOT e.id = ANY($6::bigint[])
                       ORDER BY e.id LIMIT 1)
         ORDER BY d.id
         LIMIT $2
       ), allowed AS (
         SELECT id, order_key FROM (SELECT id, url, order_key, row_number() OVER (PARTITION BY url ORDER BY id) AS k
                                    FROM heads) h
         WHERE k <= $4::int - COALESCE(($5::jsonb ->> url)::int, 0)
       ), runs AS (
         SELECT r.id, a.order_key, r.n FROM allowed a, LATERAL (
           SELECT id, row_number() OVER w AS n,
                  bool_and(next_attempt_at <= $1 AND (lease_until IS NULL OR lease_until <= $1)) OVER w AS free
           FROM (SELECT id, next_attempt_at, lease_until FROM event_deliveries
                 WHERE status = 'pending' AND order_key = a.order_key AND id >= a.id ORDER BY id LIMIT $9) k
           WINDOW w AS (ORDER BY id)
         ) r
         WHERE r.free
       ), locked AS (
         SELECT d.id, r.order_key, r.n FROM event_deliveries d JOIN runs r USING (id)
         WHERE d.status = 'pending' AND (d.lease_until IS NULL OR d.lease_until <= $1)
         FOR UPDATE OF d SKIP LOCKED
       ), leased AS (
         SELECT id FROM (SELECT id, n, row_number() OVER (PARTITION BY order_key ORDER BY n) AS m FROM locked) l
         WHERE n = m
       )
       UPDATE event_deliveries d SET lease_until = $3, attempts = d.attempts + 1
       FROM leased, event_log l
       WHERE d.id = leased.id AND l.id = d.event_id
       RETURNING d.id, d.url, d.handler_id, d.auth_user_id, d.attempts, d.created_at, d.event_id, d.order_key,
                 l.event, l.app_key, l.bot_ids, l.bot_codes, l.user_id, l.data, l.command, l.dialog_id`,
      [
        new Date(now),
        limit,
        new Date(leaseUntil),
        this.settings.concurrency,
        JSON.stringify(busy),
        ...deliveredParams(delivered),
        RUN_LENGTH,
        this.fullUrls(),
      ],
      { replan: true },
    );
  }

  /**
   * Handler URLs that take no new runs now: fewer than half their slots (rounded down) are free, so a bound of 3 or
   * less is filled slot by slot (held at 2 of 3, a handler answering only at 3 in flight saw its POSTs time out and
   * come again: delivery/dialog-order). A claim reads the backlog of the
   * URLs it may lease for, and every commit wakes the loop: taking one slot at a time, a claim per finished run,
   * made the claims back to back and PostgreSQL's CPU per event grow with the backlog (P5).
   */
  private fullUrls(): string[] {
    const { concurrency } = this.settings;
    return [...this.perUrl].filter(([, n]) => concurrency - n < Math.floor(concurrency / 2)).map(([url]) => url);
  }

  /** Gives back leased deliveries not sent (their attempt not counted), for the next claim. */
  private async release(rows: Claimed[]): Promise<void> {
    try {
      await this.db.query(giveBack(1, 2), [rows.map((r) => r.id), rows.map((r) => r.attempts)]);
    } catch (error) {
      // Their lease expires instead.
      this.log.warn({ err: error, deliveries: rows.map((r) => r.id) }, 'event delivery: giving back a lease failed');
    }
  }

  /**
   * One attempt and its outcome; false when the delivery failed and will be tried again, its `rest` (the run's
   * deliveries after it) given back.
   */
  private async send(row: Claimed, rest: Claimed[]): Promise<boolean> {
    const startedAt = this.clock.now();
    let outcome: Outcome;
    const tap = this.tap();
    try {
      const payload = eventPayload(await this.composer.compose(row));
      const attempt = tap && attemptOf(row, payload);
      const fault = attempt && tap.before(attempt);
      if (fault?.action === 'reorder') {
        await this.holdBack(row, fault.holdMs);
        return true;
      }
      if (fault?.action === 'delay') await delay(fault.ms, undefined, { signal: this.stopping.signal }).catch(() => {});
      const times = fault?.action === 'duplicate' ? 2 : 1;
      outcome = { ok: false, status: null, error: null };
      for (let i = 0; i < times; i++) {
        const began = performance.now();
        outcome =
          fault?.action === 'fail'
            ? { ok: false, status: null, error: `injected fault ${fault.faultId}` }
            : await this.post(row, formEncode(payload), !!tap);
        if (attempt) {
          const { status, error, answer = null } = outcome;
          tap.after(attempt, { status, error, answer, durationMs: performance.now() - began, faultId: fault?.faultId });
        }
      }
    } catch (error) {
      outcome = { ok: false, status: null, error: describeFailure(error, this.settings.timeoutMs) };
    }
    const who = { botCodes: row.bot_codes, appKey: row.app_key };
    if (outcome.ok) this.health.delivered(row.url, row.created_at.getTime(), row.attempts, startedAt, who);
    else this.health.failed(row.url, outcome.error ?? 'failed', who);
    try {
      return await this.record(row, outcome, rest);
    } catch (error) {
      // The lease expires and the delivery is tried again: a duplicate, never a loss.
      this.log.warn({ err: error, delivery: row.id }, 'event delivery: recording the outcome failed');
      return false;
    }
  }

  /** One POST; the handler's answer is read as text only when the control API records it. */
  private async post(row: Claimed, body: string, keepAnswer: boolean): Promise<Outcome> {
    try {
      const { status, answer } = await this.client.post(
        row.url,
        {
          'content-type': 'application/x-www-form-urlencoded',
          'user-agent': 'Bitrix24 Webhook Engine',
          // Not Bitrix24 headers: a handler may use them to drop the duplicates that at-least-once allows.
          'x-b24-event-id': String(row.event_id),
          'x-b24-delivery-id': String(row.id),
          'x-b24-delivery-attempt': String(row.attempts),
        },
        body,
        this.settings.timeoutMs,
        keepAnswer ? ANSWER_KEPT : 0,
      );
      const ok = status >= 200 && status < 300;
      return ok ? { ok, status, error: null, answer } : { ok, status, error: `HTTP ${status}`, answer };
    } catch (error) {
      return { ok: false, status: null, error: describeFailure(error, this.settings.timeoutMs) };
    }
  }

  /**
   * An injected reorder: this delivery steps out of its dialog's queue (its order key gets its own suffix, the
   * attempt is not counted) and waits `holdMs` of clock time, so the next one of the same dialog goes first.
   */
  private async holdBack(row: Claimed, holdMs: number): Promise<void> {
    const retryAt = this.clock.now() + holdMs;
    await this.db.query(
      `UPDATE event_deliveries SET order_key = order_key || '#' || id, attempts = attempts - 1, lease_until = NULL,
         next_attempt_at = $2
       WHERE id = $1`,
      [row.id, new Date(retryAt)],
    );
    this.wakeAt(retryAt);
  }

  /**
   * Records the deliveries answered since the last claim, in one statement (a claim records them too). Until then
   * they stay leased: none is claimed again, nor its dialog's next one; a process that dies first sends them again
   * when the lease expires.
   */
  private async recordDelivered(): Promise<void> {
    if (!this.delivered.length) return;
    const batch = this.delivered.splice(0);
    try {
      await this.db.query(markDelivered(1), deliveredParams(batch));
    } catch (error) {
      // The leases expire and the deliveries are tried again: duplicates, never a loss.
      this.log.warn({ err: error, deliveries: batch.map((b) => b.id) }, 'event delivery: recording the outcome failed');
    }
  }

  /** False when the delivery failed and will be tried again; then `rest` is given back in the same statement. */
  private async record(row: Claimed, outcome: Outcome, rest: Claimed[]): Promise<boolean> {
    const now = this.clock.now();
    if (outcome.ok) {
      this.delivered.push({ id: row.id, at: new Date(now), status: outcome.status });
      return true;
    }
    const { maxAttempts, maxAgeMs } = this.settings;
    const final = (maxAttempts > 0 && row.attempts >= maxAttempts) || now - row.created_at.getTime() >= maxAgeMs;
    const retryAt = now + retryDelay(this.settings, row.attempts);
    // `attempts = $6`: if the lease ran out and another dispatcher took the delivery over, its attempt decides.
    const back = final ? [] : rest;
    await this.db.query(
      `WITH back AS (${giveBack(7, 8)})
       UPDATE event_deliveries SET status = $2, next_attempt_at = $3, lease_until = NULL,
         last_status = $4, last_error = $5
       WHERE id = $1 AND attempts = $6 AND status = 'pending'`,
      [
        row.id,
        final ? 'failed' : 'pending',
        new Date(retryAt),
        outcome.status,
        outcome.error,
        row.attempts,
        back.map((r) => r.id),
        back.map((r) => r.attempts),
      ],
    );
    if (!final) this.wakeAt(retryAt);
    return final;
  }

  private wakeAt(atMs: number): void {
    if (this.stopped) return;
    const cancel = this.clock.at(atMs, () => {
      this.retryTimers.delete(cancel);
      this.wake();
    });
    this.retryTimers.add(cancel);
  }

  /** LISTEN for committed events; reconnects after a lost connection (the poll covers the gap). */
  private async listen(): Promise<void> {
    while (!this.stopped) {
      const client = new pg.Client({ connectionString: this.db.url });
      client.on('error', () => {}); // surfaces as 'end' below
      try {
        await client.connect();
        client.on('notification', this.wake);
        await client.query(`LISTEN ${EVENTS_CHANNEL}`);
        this.listener = client;
        if (this.stopped) break;
        await new Promise((resolve) => client.once('end', resolve));
      } catch {
        // unreachable database: poll until it is back
      } finally {
        this.listener = null;
        await client.end().catch(() => {});
      }
      if (!this.stopped) await delay(1000, undefined, { signal: this.stopping.signal }).catch(() => {});
    }
  }
}

function deliveredParams(batch: Delivered[]): [number[], Date[], (number | null)[]] {
  return [batch.map((b) => b.id), batch.map((b) => b.at), batch.map((b) => b.status)];
}

/** Claimed rows grouped by order key, each group in id order. */
function runs(rows: Claimed[]): Claimed[][] {
  const byKey = new Map<string, Claimed[]>();
  for (const row of rows) byKey.get(row.order_key)?.push(row) ?? byKey.set(row.order_key, [row]);
  for (const run of byKey.values()) run.sort((a, b) => a.id - b.id);
  return [...byKey.values()];
}

function attemptOf(row: Claimed, payload: Record<string, unknown>): DeliveryAttempt {
  return {
    deliveryId: Number(row.id),
    eventId: Number(row.event_id),
    event: row.event,
    url: row.url,
    appKey: row.app_key,
    botIds: row.bot_ids,
    dialogId: row.dialog_id,
    attempt: row.attempts,
    payload,
  };
}

export function describeFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof Error) {
    if (error.name === 'TimeoutError') return `no answer within ${timeoutMs} ms`;
    const code = (error as Error & { code?: string }).code;
    return code && !error.message.includes(code) ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}
