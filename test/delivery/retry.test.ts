import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../../src/clock.ts';
import { deliverySettings } from '../../src/config/delivery-settings.ts';
import { eventDelivery } from '../../src/delivery/event-delivery.ts';
import type { BotEvent } from '../../src/domain/events.ts';
import { botWithHandler, eventually, FAST, HandlerStub } from '../helpers/handler.ts';
import { startTestServer, type TestServer } from '../helpers/harness.ts';

const ADMIN = 'admin-secret';

describe('delivery while the handler is down, failing or slow', () => {
  const clock = new ManualClock();
  const handler = new HandlerStub();
  let server: TestServer;
  let botId: number;

  const emit = (dialogId: string, n: number) =>
    server.db.tx((tx) =>
      server.app.domain.events.emit(tx, {
        event: 'ONIMBOTMESSAGEADD',
        botIds: [botId],
        userId: 1,
        dialogId,
        params: { DIALOG_ID: dialogId, MESSAGE: `m${n}` },
      } satisfies BotEvent),
    );
  const admin = async (query = '', token = ADMIN) => {
    const res = await fetch(`${server.url}/admin/api/deliveries${query}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  /** The delivery of `MESSAGE` as the admin API shows it. */
  const deliveryOf = async (dialogId: string, n: number) => {
    const { body } = await admin('?limit=1000');
    const rows = await server.db.query<{ id: number }>(
      `SELECT d.id FROM event_deliveries d JOIN event_log l ON l.id = d.event_id
       WHERE l.dialog_id = $1 AND l.data->>'MESSAGE' = $2`,
      [dialogId, `m${n}`],
    );
    return body.result.deliveries.find((d: any) => d.id === rows[0]?.id);
  };
  /** True once `n` attempts (or more) of the delivery of `MESSAGE` are over and recorded. */
  const attemptDone = async (dialogId: string, m: number, n: number) => {
    const [row] = await server.db.query(
      `SELECT d.attempts, d.lease_until FROM event_deliveries d JOIN event_log l ON l.id = d.event_id
       WHERE l.dialog_id = $1 AND l.data->>'MESSAGE' = $2`,
      [dialogId, `m${m}`],
    );
    return row?.attempts >= n && row.lease_until === null;
  };
  const messages = (dialogId: string) =>
    handler.received.filter((r) => r.form.data.PARAMS.DIALOG_ID === dialogId).map((r) => r.form.data.PARAMS.MESSAGE);

  before(async () => {
    await handler.start();
    await handler.down(); // keeps its port: refused until it comes back
    server = await startTestServer({
      clock,
      config: { delivery: { ...FAST, timeoutMs: 1500 } },
      features: [eventDelivery({ adminToken: ADMIN })],
    });
    botId = await botWithHandler(server, 'retry', 'retry_bot', handler.url);
  });
  after(async () => {
    await server.close();
    await handler.down();
  });

  it('holds a dialog’s events while the handler refuses connections or answers 500, then sends them in order', async () => {
    for (let n = 1; n <= 5; n++) await emit('1', n);
    const first = await eventually(async () => {
      const d = await deliveryOf('1', 1);
      return d?.attempts === 1 && d.last_error ? d : null;
    });
    assert.equal(first.status, 'pending');
    assert.match(first.last_error, /ECONNREFUSED/);
    assert.equal(first.last_status, null);
    assert.equal(new Date(first.next_attempt_at).getTime(), clock.now() + FAST.retryMinMs);
    // The later events of the dialog wait behind the first; none has been tried.
    assert.equal((await deliveryOf('1', 2)).attempts, 0);

    handler.status = 500;
    await handler.start();
    clock.advance(FAST.retryMinMs);
    const second = await eventually(async () => {
      const d = await deliveryOf('1', 1);
      return d?.attempts === 2 && d.last_status === 500 ? d : null;
    });
    assert.equal(second.last_error, 'HTTP 500');
    assert.equal(new Date(second.next_attempt_at).getTime(), clock.now() + 2 * FAST.retryMinMs, 'backoff doubles');

    handler.status = 200;
    clock.advance(2 * FAST.retryMinMs);
    await handler.waitFor(6);
    // The refused attempt never arrived; the 500 one did: m1 twice, each time with the same event id.
    assert.deepEqual(messages('1'), ['m1', 'm1', 'm2', 'm3', 'm4', 'm5']);
    const ids = handler.received.map((r) => r.eventId);
    assert.equal(ids[0], ids[1]);
    assert.equal(new Set(ids).size, 5);
    assert.deepEqual(
      handler.received.slice(0, 2).map((r) => r.headers['x-b24-delivery-attempt']),
      ['2', '3'],
    );
    // Answered deliveries are recorded with the dispatcher's next claim: waited for, not raced.
    const done = await eventually(async () => {
      const d = await deliveryOf('1', 1);
      return d?.status === 'delivered' ? d : null;
    });
    assert.equal(done.status, 'delivered');
    assert.equal(done.attempts, 3);
    assert.equal(done.next_attempt_at, null);
    assert.ok(done.delivered_at);
  });

  it('counts a handler that answers too late as failed, and sends the event again', async () => {
    handler.received.length = 0;
    let calls = 0;
    handler.delayMs = () => (calls++ === 0 ? 2000 : 0);
    await emit('2', 1);
    const late = await eventually(async () => {
      const d = await deliveryOf('2', 1);
      return d?.attempts === 1 && d.last_error ? d : null;
    });
    assert.equal(late.last_error, 'no answer within 1500 ms');
    clock.advance(FAST.retryMinMs);
    await eventually(async () => (await deliveryOf('2', 1)).status === 'delivered');
    await handler.waitFor(2);
    assert.deepEqual(messages('2'), ['m1', 'm1']);
    handler.delayMs = () => 0;
  });

  it('marks a delivery failed after the last attempt, visibly, and lets the dialog go on; retry requeues it', async () => {
    handler.received.length = 0;
    handler.status = 503;
    await emit('3', 1);
    await emit('3', 2);
    for (let attempt = 1; attempt <= FAST.maxAttempts; attempt++) {
      // Moving the clock before the attempt is recorded would push its retry past the new time.
      await eventually(() => attemptDone('3', 1, attempt));
      clock.advance(FAST.retryMaxMs);
    }
    const failed = await eventually(async () => {
      const d = await deliveryOf('3', 1);
      return d.status === 'failed' ? d : null;
    });
    assert.equal(failed.attempts, FAST.maxAttempts);
    assert.equal(failed.last_status, 503);
    assert.equal(failed.next_attempt_at, null);
    const { body } = await admin('?status=failed');
    assert.ok(body.result.counts.failed >= 1);
    assert.ok(body.result.deliveries.every((d: any) => d.status === 'failed'));
    assert.ok(body.result.deliveries.some((d: any) => d.id === failed.id && d.event === 'ONIMBOTMESSAGEADD'));

    // A finally failed event no longer holds the dialog back: m2 goes next (still into the 503).
    await eventually(() => attemptDone('3', 2, 1));
    handler.status = 200;
    clock.advance(FAST.retryMaxMs);
    await eventually(async () => (await deliveryOf('3', 2)).status === 'delivered');

    const retry = await fetch(`${server.url}/admin/api/deliveries/${failed.id}/retry`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN}` },
    });
    assert.equal(retry.status, 200);
    assert.deepEqual(await retry.json(), { result: true });
    await eventually(async () => (await deliveryOf('3', 1)).status === 'delivered');
    assert.deepEqual(messages('3').slice(-2), ['m2', 'm1']);
  });

  it('retry now: a delivery waiting for its next attempt goes at once, without waiting for the clock', async () => {
    handler.status = 500;
    await emit('4', 1);
    await eventually(() => attemptDone('4', 1, 1));
    const waiting = await deliveryOf('4', 1);
    assert.equal(waiting.status, 'pending');
    assert.ok(new Date(waiting.next_attempt_at).getTime() > clock.now());
    handler.status = 200;
    const retry = await fetch(`${server.url}/admin/api/deliveries/${waiting.id}/retry`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN}` },
    });
    assert.deepEqual(await retry.json(), { result: true });
    const done = await eventually(async () => {
      const d = await deliveryOf('4', 1);
      return d.status === 'delivered' ? d : null;
    });
    assert.equal(done.attempts, 2, 'the waiting attempt count goes on');
  });

  it('a dialog’s events committed together go out as one run; a failure in it gives the rest back', async () => {
    handler.received.length = 0;
    handler.status = 200;
    let failures = 0;
    handler.statusOf = (form) => (form.data.PARAMS.MESSAGE === 'm2' && failures++ === 0 ? 500 : 200);
    const state = async (n: number) =>
      (
        await server.db.query<{ attempts: number; leased: boolean }>(
          `SELECT d.attempts, d.lease_until IS NOT NULL AS leased FROM event_deliveries d
           JOIN event_log l ON l.id = d.event_id WHERE l.dialog_id = '5' AND l.data->>'MESSAGE' = $1`,
          [`m${n}`],
        )
      )[0];
    let open!: () => void;
    handler.gate = new Promise((resolve) => {
      open = resolve;
    });
    const arrived = handler.arrived;
    await server.db.tx(async (tx) => {
      for (let n = 1; n <= 5; n++) {
        await server.app.domain.events.emit(tx, {
          event: 'ONIMBOTMESSAGEADD',
          botIds: [botId],
          userId: 1,
          dialogId: '5',
          params: { DIALOG_ID: '5', MESSAGE: `m${n}` },
        } satisfies BotEvent);
      }
    });
    await eventually(() => handler.arrived > arrived);
    // m1 is at the handler: the claim that took it leased the dialog's later events with it.
    assert.deepEqual(await state(3), { attempts: 1, leased: true });
    handler.gate = undefined;
    open();
    await eventually(() => attemptDone('5', 2, 1));
    // m2's 500 is recorded with m3–m5 given back, their attempt not counted: they wait for m2.
    for (const n of [3, 4, 5]) assert.deepEqual(await state(n), { attempts: 0, leased: false }, `m${n}`);
    assert.deepEqual(messages('5'), ['m1', 'm2']);
    clock.advance(FAST.retryMinMs);
    await handler.waitFor(6);
    assert.deepEqual(messages('5'), ['m1', 'm2', 'm2', 'm3', 'm4', 'm5']);
    handler.statusOf = () => handler.status;
  });

  it('keeps the delivery status behind the admin token', async () => {
    const res = await admin('', 'wrong');
    assert.equal(res.status, 401);
    assert.equal(res.body.error, 'NO_AUTH_FOUND');
    const bad = await admin('?status=lost');
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error, 'INVALID_REQUEST');
    const missing = await fetch(`${server.url}/admin/api/deliveries/999999/retry`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN}` },
    });
    assert.equal(missing.status, 404);
  });
});

// A portal does not resend (b24restdocs api-reference/events/index.md, "No retries"): the default is one attempt.
describe('delivery with the default B24_DELIVERY_MAX_ATTEMPTS, as a portal', () => {
  const handler = new HandlerStub();
  let server: TestServer;
  let botId: number;

  before(async () => {
    await handler.start();
    await handler.down();
    const { maxAttempts } = deliverySettings({});
    server = await startTestServer({
      config: { delivery: { ...FAST, maxAttempts } },
      features: [eventDelivery({ adminToken: ADMIN })],
    });
    botId = await botWithHandler(server, 'once', 'once_bot', handler.url);
  });
  after(async () => {
    await server.close();
    await handler.down();
  });

  it('one failed POST is final: the delivery is failed after its first attempt', async () => {
    assert.equal(deliverySettings({}).maxAttempts, 1);
    await server.db.tx((tx) =>
      server.app.domain.events.emit(tx, {
        event: 'ONIMBOTMESSAGEADD',
        botIds: [botId],
        userId: 1,
        dialogId: '1',
        params: { DIALOG_ID: '1', MESSAGE: 'once' },
      } satisfies BotEvent),
    );
    const row = await eventually(async () => {
      const [d] = await server.db.query<{ status: string; attempts: number }>(
        `SELECT d.status, d.attempts FROM event_deliveries d JOIN event_log l ON l.id = d.event_id
         WHERE l.data->>'MESSAGE' = 'once'`,
      );
      return d?.status === 'failed' ? d : null;
    });
    assert.equal(row.attempts, 1);
  });
});
