import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import qs from 'qs';
import { eventDelivery } from '../../src/delivery/event-delivery.ts';
import type { Database } from '../../src/store/db.ts';
import { botWithHandler, eventually, FAST } from '../helpers/handler.ts';
import { startTestServer, type TestServer, testDatabase } from '../helpers/harness.ts';

/**
 * Two servers (two dispatchers, as two nodes) on one database; events of two bots in four dialogs emitted in
 * concurrent transactions; a handler that answers after a random delay and refuses every fifth event once.
 */
describe('ordering per bot and dialog under concurrency', () => {
  let db: Database;
  let nodes: TestServer[];
  let handler: Server;
  let url: string;
  const arrivals: { key: string; eventId: number; status: number }[] = [];
  const inFlight = new Map<string, number>();
  let overlaps = 0;
  const refusedOnce = new Set<number>();

  before(async () => {
    handler = createServer((req, res) => {
      let raw = '';
      req.on('data', (chunk) => {
        raw += chunk;
      });
      req.on('end', () => {
        const form = qs.parse(raw, { parseArrays: false }) as any;
        const botId = Object.keys(form.data.BOT)[0];
        const key = `${botId}/${form.data.PARAMS.DIALOG_ID}`;
        const eventId = Number(req.headers['x-b24-event-id']);
        if (inFlight.get(key)) overlaps++;
        inFlight.set(key, (inFlight.get(key) ?? 0) + 1);
        const refuse = eventId % 5 === 0 && !refusedOnce.has(eventId);
        if (refuse) refusedOnce.add(eventId);
        const status = refuse ? 500 : 200;
        arrivals.push({ key, eventId, status });
        setTimeout(
          () => {
            inFlight.set(key, inFlight.get(key)! - 1);
            res.writeHead(status).end();
          },
          Math.floor(Math.random() * 15),
        );
      });
    });
    await new Promise<void>((resolve) => handler.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(handler.address() as AddressInfo).port}/`;
    db = await testDatabase();
    nodes = [];
    for (let i = 0; i < 2; i++) {
      nodes.push(
        await startTestServer({ db, config: { delivery: FAST }, features: [eventDelivery({ adminToken: 'a' })] }),
      );
    }
  });
  after(async () => {
    for (const node of nodes) await node.close();
    await db.close();
    handler.closeAllConnections();
    await new Promise((resolve) => handler.close(resolve));
  });

  it('delivers every event once (twice when refused), one at a time and in commit order per bot and dialog', async () => {
    const bots = [await botWithHandler(nodes[0], 'ord1', 'ord_bot_1', url)];
    bots.push(await botWithHandler(nodes[0], 'ord2', 'ord_bot_2', url));
    const dialogs = ['11', '12', 'chat21', 'chat22'];
    const emits: Promise<void>[] = [];
    for (let n = 0; n < 10; n++) {
      for (const botId of bots) {
        for (const dialogId of dialogs) {
          const node = nodes[emits.length % 2];
          emits.push(
            node.db.tx((tx) =>
              node.app.domain.events.emit(tx, {
                event: 'ONIMBOTMESSAGEADD',
                botIds: [botId],
                userId: 1,
                dialogId,
                params: { DIALOG_ID: dialogId, MESSAGE: `m${n}` },
              }),
            ),
          );
        }
      }
    }
    await Promise.all(emits);
    const logged = await db.query<{ id: number; key: string }>(
      `SELECT id, bot_ids[1] || '/' || dialog_id AS key FROM event_log ORDER BY id`,
    );
    assert.equal(logged.length, 80);
    await eventually(() => arrivals.filter((a) => a.status === 200).length >= 80, 30_000);

    assert.equal(overlaps, 0, 'two deliveries of one bot and dialog were in flight at once');
    for (const key of new Set(logged.map((l) => l.key))) {
      const expected = logged.filter((l) => l.key === key).flatMap((l) => (l.id % 5 === 0 ? [l.id, l.id] : [l.id]));
      assert.deepEqual(
        arrivals.filter((a) => a.key === key).map((a) => a.eventId),
        expected,
        `order of ${key}`,
      );
    }
    await eventually(
      async () => !(await db.query(`SELECT 1 FROM event_deliveries WHERE status <> 'delivered'`)).length,
    );
  });
});
