import assert from 'node:assert/strict';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import qs from 'qs';
import { eventDelivery } from '../../src/delivery/event-delivery.ts';
import type { BotEvent } from '../../src/domain/events.ts';
import { botWithHandler, eventually, FAST } from '../helpers/handler.ts';
import { startTestServer, type TestServer } from '../helpers/harness.ts';

/**
 * Event ordering is per application and dialog, not per bot: one bot's events in different dialogs commit without
 * waiting for each other and are POSTed concurrently (at most B24_DELIVERY_CONCURRENCY at once per handler URL),
 * while each dialog's events still arrive one at a time, in commit order.
 */
describe('per-dialog order while dialogs are delivered concurrently', () => {
  const CONCURRENCY = 3;
  let server: TestServer;
  let handler: Server;
  let url: string;
  let botId: number;
  const arrivals: { dialog: string; n: number }[] = [];
  const inFlight = new Map<string, number>();
  let total = 0;
  let maxTotal = 0;
  let overlaps = 0;
  // While set, answers are held until CONCURRENCY POSTs are open at once: a dispatcher that sent one at a time would
  // never get there.
  let gate = false;
  const held: (() => void)[] = [];

  const message = (dialogId: string, n: number): BotEvent => ({
    event: 'ONIMBOTMESSAGEADD',
    botIds: [botId],
    userId: 1,
    dialogId,
    params: { DIALOG_ID: dialogId, MESSAGE: `m${n}` },
  });

  before(async () => {
    handler = createServer((req, res) => {
      let raw = '';
      req.on('data', (chunk) => {
        raw += chunk;
      });
      req.on('end', () => {
        const form = qs.parse(raw, { parseArrays: false }) as any;
        const dialog = String(form.data.PARAMS.DIALOG_ID);
        if (inFlight.get(dialog)) overlaps++;
        inFlight.set(dialog, (inFlight.get(dialog) ?? 0) + 1);
        maxTotal = Math.max(maxTotal, ++total);
        arrivals.push({ dialog, n: Number(String(form.data.PARAMS.MESSAGE).slice(1)) });
        const answer = (r: ServerResponse) => () => {
          inFlight.set(dialog, inFlight.get(dialog)! - 1);
          total--;
          r.writeHead(200).end('ok');
        };
        held.push(answer(res));
        if (total >= CONCURRENCY) gate = false;
        if (!gate) for (const release of held.splice(0)) setImmediate(release);
      });
    });
    await new Promise<void>((resolve) => handler.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(handler.address() as AddressInfo).port}/`;
    server = await startTestServer({
      config: { delivery: { ...FAST, concurrency: CONCURRENCY } },
      features: [eventDelivery({ adminToken: 'a' })],
    });
    botId = await botWithHandler(server, 'dlg', 'dialog_order_bot', url);
    // The handler's event_handler_id is made on first use; made here, no test transaction waits on another's.
    await server.db.tx((tx) => server.app.domain.events.emit(tx, message('chat900', 0)));
    await eventually(() => arrivals.length === 1);
    arrivals.length = 0;
  });
  after(async () => {
    await server.close();
    handler.closeAllConnections();
    await new Promise((resolve) => handler.close(resolve));
  });

  it('one bot’s events in two dialogs commit without waiting for each other', async () => {
    const { db } = server;
    const { events } = server.app.domain;
    let inner = false;
    await db.tx(async (tx) => {
      await events.emit(tx, message('chat901', 0));
      // Runs after the sink has taken this transaction's ordering locks, just before it commits.
      tx.beforeCommit(async () => {
        await db.tx(async (other) => {
          await other.query("SET LOCAL lock_timeout = '10s'"); // a lock held by this one would fail it, not hang
          await events.emit(other, message('chat902', 0));
        });
        inner = true;
      });
    });
    assert.ok(inner, 'the other dialog committed while this one held its locks');
    await eventually(() => arrivals.length >= 2);
    arrivals.length = 0;
  });

  it('the same dialog waits for the transaction that holds it, and comes after it', async () => {
    const { db } = server;
    const { events } = server.app.domain;
    let second: Promise<void> | undefined;
    await db.tx(async (tx) => {
      await events.emit(tx, message('chat903', 0));
      tx.beforeCommit(async () => {
        second = db.tx((other) => events.emit(other, message('chat903', 1)));
        // It waits on this transaction's lock: visible to PostgreSQL as an advisory lock not granted.
        await eventually(
          async () =>
            (
              await db.query(
                `SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted
                 AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
              )
            ).length,
        );
      });
    });
    await second;
    const logged = await db.query<{ message: string }>(
      "SELECT data->>'MESSAGE' AS message FROM event_log WHERE dialog_id = 'chat903' ORDER BY id",
    );
    assert.deepEqual(
      logged.map((r) => r.message),
      ['m0', 'm1'],
    );
    await eventually(() => arrivals.length >= 2);
    arrivals.length = 0;
  });

  it('dialogs go out concurrently, up to the bound, each in order and one at a time', async () => {
    gate = true;
    maxTotal = 0;
    const dialogs = ['chat1', 'chat2', 'chat3', 'chat4', 'chat5', '17'];
    const PER_DIALOG = 10;
    // Each dialog's messages committed one after another; the dialogs side by side.
    await Promise.all(
      dialogs.map(async (dialogId) => {
        for (let n = 0; n < PER_DIALOG; n++) {
          await server.db.tx((tx) => server.app.domain.events.emit(tx, message(dialogId, n)));
        }
      }),
    );
    await eventually(() => arrivals.length >= dialogs.length * PER_DIALOG, 30_000);
    assert.equal(maxTotal, CONCURRENCY, 'POSTs in flight at once to the one handler URL');
    assert.equal(overlaps, 0, 'two deliveries of one dialog were in flight at once');
    for (const dialog of dialogs) {
      assert.deepEqual(
        arrivals.filter((a) => a.dialog === dialog).map((a) => a.n),
        Array.from({ length: PER_DIALOG }, (_, n) => n),
        `order of ${dialog}`,
      );
    }
    await eventually(
      async () => !(await server.db.query(`SELECT 1 FROM event_deliveries WHERE status <> 'delivered'`)).length,
    );
  });
});
