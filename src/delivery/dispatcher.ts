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

/** POSTs in flight at once per dispatcher, all handler URLs together; each waits for its handler, up to the timeout. */
const MAX_IN_FLIGHT = 256;
/** A claim outlives the attempt's timeout by this much before another dispatcher may take the delivery over. */
const LEASE_MARGIN_MS = 5000;
/** How much of a handler's answer the inspector keeps. */
const ANSWER_KEPT = 4096;

interface Claimed extends LoggedDelivery {
  id: number;
  event_id: number;
  url: string;
  attempts: number;
  created_at: Date;
  dialog_id: string;
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
  /** Deliveries answered with 2xx, recorded together before the next claim (one UPDATE for all of them). */
  private readonly delivered: { id: number; at: Date; status: number | null }[] = [];

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
      // First: a delivered predecessor lets its dialog's next delivery be claimed.
      await this.recordDelivered();
      const free = MAX_IN_FLIGHT - this.inFlight.size;
      if (free > 0) {
        try {
          for (const row of await this.claim(free)) this.track(row.url, this.send(row));
        } catch (error) {
          this.log.warn({ err: error }, 'event delivery: claiming failed');
        }
      }
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
   * Takes up to `limit` due deliveries whose predecessors (same order key, lower id) are all settled, and leases
   * them: at most one per order key (its oldest), so dialogs go out concurrently and each dialog in order, and at most
   * `settings.concurrency` in flight per handler URL. A delivered or finally failed predecessor no longer holds its
   * successors back. Only the rows it leases are locked (SKIP LOCKED: another dispatcher's are left to it; a row
   * leased meanwhile fails the re-checked lease): locking every candidate first made each claim write a lock on the
   * oldest delivery of up to 256 dialogs to lease the one or two its URL had room for (P5, 1,000 dialogs).
   */
  private claim(limit: number): Promise<Claimed[]> {
    const now = this.clock.now();
    const busy = Object.fromEntries(this.perUrl);
    return this.db.query<Claimed>(
      `WITH due AS (
         SELECT d.id, d.url FROM event_deliveries d
         WHERE d.status = 'pending' AND d.next_attempt_at <= $1 AND (d.lease_until IS NULL OR d.lease_until <= $1)
           AND NOT EXISTS (SELECT 1 FROM event_deliveries e
                           WHERE e.status = 'pending' AND e.order_key = d.order_key AND e.id < d.id)
         ORDER BY d.id
         LIMIT $2
       ), allowed AS (
         SELECT id FROM (SELECT id, url, row_number() OVER (PARTITION BY url ORDER BY id) AS n FROM due) ranked
         WHERE n <= $4::int - COALESCE(($5::jsonb ->> url)::int, 0)
       ), locked AS (
         SELECT d.id FROM event_deliveries d JOIN allowed USING (id)
         WHERE d.status = 'pending' AND (d.lease_until IS NULL OR d.lease_until <= $1)
         FOR UPDATE OF d SKIP LOCKED
       )
       UPDATE event_deliveries d SET lease_until = $3, attempts = d.attempts + 1
       FROM locked, event_log l
       WHERE d.id = locked.id AND l.id = d.event_id
       RETURNING d.id, d.url, d.handler_id, d.auth_user_id, d.attempts, d.created_at, d.event_id,
                 l.event, l.app_key, l.bot_ids, l.bot_codes, l.user_id, l.data, l.command, l.dialog_id`,
      [
        new Date(now),
        limit,
        new Date(now + this.settings.timeoutMs + LEASE_MARGIN_MS),
        this.settings.concurrency,
        JSON.stringify(busy),
      ],
    );
  }

  private async send(row: Claimed): Promise<void> {
    const startedAt = this.clock.now();
    let outcome: Outcome;
    const tap = this.tap();
    try {
      const payload = eventPayload(await this.composer.compose(row));
      const attempt = tap && attemptOf(row, payload);
      const fault = attempt && tap.before(attempt);
      if (fault?.action === 'reorder') return await this.holdBack(row, fault.holdMs);
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
      await this.record(row, outcome);
    } catch (error) {
      // The lease expires and the delivery is tried again: a duplicate, never a loss.
      this.log.warn({ err: error, delivery: row.id }, 'event delivery: recording the outcome failed');
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
   * Records the deliveries answered since the last claim, in one statement. Until it runs they stay leased: none is
   * claimed again, nor its dialog's next one; a process that dies first sends them again when the lease expires.
   */
  private async recordDelivered(): Promise<void> {
    if (!this.delivered.length) return;
    const batch = this.delivered.splice(0);
    try {
      await this.db.query(
        `UPDATE event_deliveries d SET status = 'delivered', delivered_at = t.at, lease_until = NULL,
           last_status = t.status, last_error = NULL
         FROM unnest($1::bigint[], $2::timestamptz[], $3::int[]) AS t(id, at, status)
         WHERE d.id = t.id`,
        [batch.map((b) => b.id), batch.map((b) => b.at), batch.map((b) => b.status)],
      );
    } catch (error) {
      // The leases expire and the deliveries are tried again: duplicates, never a loss.
      this.log.warn({ err: error, deliveries: batch.map((b) => b.id) }, 'event delivery: recording the outcome failed');
    }
  }

  private async record(row: Claimed, outcome: Outcome): Promise<void> {
    const now = this.clock.now();
    if (outcome.ok) {
      this.delivered.push({ id: row.id, at: new Date(now), status: outcome.status });
      return;
    }
    const { maxAttempts, maxAgeMs } = this.settings;
    const final = (maxAttempts > 0 && row.attempts >= maxAttempts) || now - row.created_at.getTime() >= maxAgeMs;
    const retryAt = now + retryDelay(this.settings, row.attempts);
    // `attempts = $6`: if the lease ran out and another dispatcher took the delivery over, its attempt decides.
    await this.db.query(
      `UPDATE event_deliveries SET status = $2, next_attempt_at = $3, lease_until = NULL,
         last_status = $4, last_error = $5
       WHERE id = $1 AND attempts = $6 AND status = 'pending'`,
      [row.id, final ? 'failed' : 'pending', new Date(retryAt), outcome.status, outcome.error, row.attempts],
    );
    if (!final) this.wakeAt(retryAt);
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
