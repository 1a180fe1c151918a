import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { VirtualClock } from '../../src/clock.ts';
import { OutboxEventSink } from '../../src/delivery/outbox-event-sink.ts';
import type { BotEvent } from '../../src/domain/events.ts';
import { barrier } from '../helpers/barrier.ts';
import { registerBot } from '../helpers/bots.ts';
import { startTestServer, type TestServer } from '../helpers/harness.ts';

// Issue 11, defect 11: each bot's events are numbered in commit order under a per-bot lock. One transaction that
// emitted for bot A and then for bot B, beside one that emitted for B and then A, deadlocked (PostgreSQL aborts one
// of them, and its call answered 500). The locks (now per application and dialog) are taken at commit, all together,
// in one order.
describe('defect 11: events for two bots emitted in reverse order by two transactions', () => {
  let server: TestServer;
  let a: number;
  let b: number;

  before(async () => {
    server = await startTestServer();
    a = await registerBot(server, 'locka', 'locka');
    b = await registerBot(server, 'lockb', 'lockb');
  });
  after(() => server.close());

  const event = (botId: number, n: number): BotEvent => ({
    event: 'ONIMBOTJOINCHAT',
    botIds: [botId],
    params: { N: n },
    userId: 1,
    // One dialog per bot: both transactions need the same two (application, dialog) locks.
    dialogId: `chat${botId}`,
  });

  it('both commit; each bot has both events, numbered in commit order', async () => {
    const sink = new OutboxEventSink(new VirtualClock());
    // Both transactions emit their first event before either emits its second.
    const meet = barrier(2);
    const run = (first: number, second: number, n: number) =>
      server.db.tx(async (tx) => {
        await sink.emit(tx, event(first, n));
        await meet();
        await sink.emit(tx, event(second, n + 1));
      });
    await Promise.all([run(a, b, 10), run(b, a, 20)]);
    const rows = await server.db.query<{ id: number; bot_ids: number[]; data: { N: number } }>(
      "SELECT id, bot_ids, data FROM event_log WHERE event = 'ONIMBOTJOINCHAT' ORDER BY id",
    );
    for (const bot of [a, b]) {
      const mine = rows.filter((r) => r.bot_ids.includes(bot)).map((r) => r.data.N);
      assert.equal(mine.length, 2, JSON.stringify(rows));
    }
    // One transaction's events are consecutive: the other could not interleave once it held the locks.
    const ns = rows.map((r) => r.data.N);
    assert.ok(JSON.stringify(ns) === '[10,11,20,21]' || JSON.stringify(ns) === '[20,21,10,11]', JSON.stringify(ns));
  });
});
