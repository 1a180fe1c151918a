import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../../src/clock.ts';
import { eventDelivery } from '../../src/delivery/event-delivery.ts';
import type { Database } from '../../src/store/db.ts';
import { botWithHandler, eventually, FAST, HandlerStub } from '../helpers/handler.ts';
import { startTestServer, type TestServer, testDatabase } from '../helpers/harness.ts';

/** A server stopped mid-backlog and a new one on the same database: nothing is lost, nothing reordered. */
describe('delivery across a restart', () => {
  const clock = new ManualClock();
  const handler = new HandlerStub();
  let db: Database;
  let server: TestServer | undefined;
  let botId: number;

  // A handler answer counts however long a busy machine takes to deliver it: with FAST's 2 s timeout a slow answer
  // became a retry that the manual clock never let fall due.
  const delivery = { ...FAST, timeoutMs: 120_000 };
  const start = () =>
    startTestServer({ db, clock, config: { delivery }, features: [eventDelivery({ adminToken: 'a' })] });
  const emit = (dialogId: string, n: number) =>
    server!.db.tx((tx) =>
      server!.app.domain.events.emit(tx, {
        event: 'ONIMBOTMESSAGEADD',
        botIds: [botId],
        userId: 1,
        dialogId,
        params: { DIALOG_ID: dialogId, MESSAGE: `m${n}` },
      }),
    );
  const sequence = (dialogId: string) =>
    handler.received.filter((r) => r.form.data.PARAMS.DIALOG_ID === dialogId).map((r) => r.form.data.PARAMS.MESSAGE);

  before(async () => {
    await handler.start();
    db = await testDatabase();
    server = await start();
    botId = await botWithHandler(server, 'restart', 'restart_bot', handler.url);
  });
  after(async () => {
    await server?.close();
    await db.close();
    await handler.down();
  });

  it('finishes a backlog that a stopped server left behind', async () => {
    // The handler holds its answers, so the stop lands mid-backlog however slowly this machine runs.
    let release = () => {};
    handler.gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    for (let n = 1; n <= 15; n++) for (const dialogId of ['1', '2']) await emit(dialogId, n);
    await eventually(() => handler.arrived >= 2); // both dialogs' first POSTs are in flight
    const stopping = server!.close(); // waits for the POSTs in flight and records them
    release();
    await stopping;
    handler.gate = undefined;
    server = undefined;
    assert.ok(handler.received.length < 30, 'the backlog was not finished before the stop');

    server = await start();
    await handler.waitFor(30);
    // Each exactly once and in order: a POST the stopped server had sent late would show as a duplicate.
    const all = Array.from({ length: 15 }, (_, i) => `m${i + 1}`);
    assert.deepEqual(sequence('1'), all);
    assert.deepEqual(sequence('2'), all);
  });

  it('takes over a delivery whose dispatcher died holding it, once the lease expires', async () => {
    handler.received.length = 0;
    await server!.close(); // no dispatcher runs while the events come in
    await emit('3', 1);
    await emit('3', 2);
    // Another node claimed m1 and died: leased, attempt counted, never recorded.
    const [claimed] = await db.query<{ id: number }>(
      `UPDATE event_deliveries d SET attempts = 1, lease_until = $1
       FROM event_log l WHERE l.id = d.event_id AND l.dialog_id = '3' AND l.data->>'MESSAGE' = 'm1'
         AND d.status = 'pending' RETURNING d.id`,
      [new Date(clock.now() + delivery.timeoutMs + 5000)],
    );
    assert.ok(claimed, 'm1 was still pending');
    server = await start();
    // An event of another dialog goes at once: the dispatcher has looked at the backlog once it arrives.
    await emit('4', 1);
    await handler.waitFor(1);
    assert.deepEqual(sequence('4'), ['m1']);
    assert.deepEqual(sequence('3'), [], 'neither m1 (leased) nor m2 (behind it) goes while the lease runs');
    clock.advance(delivery.timeoutMs + 5000);
    await eventually(() => sequence('3').length >= 2);
    assert.deepEqual(sequence('3'), ['m1', 'm2']);
    const first = handler.received.find((r) => r.form.data.PARAMS.DIALOG_ID === '3')!;
    assert.equal(first.headers['x-b24-delivery-attempt'], '2');
    await eventually(async () => {
      const rows = await db.query(`SELECT status FROM event_deliveries WHERE id = $1`, [claimed.id]);
      return rows[0].status === 'delivered';
    });
  });
});
