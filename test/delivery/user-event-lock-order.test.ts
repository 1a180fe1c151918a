import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { VirtualClock } from '../../src/clock.ts';
import { OutboxEventSink } from '../../src/delivery/outbox-event-sink.ts';
import type { UserEvent } from '../../src/domain/events.ts';
import { barrier } from '../helpers/barrier.ts';
import { startTestServer, type TestServer } from '../helpers/harness.ts';

// Issue 11: an im.v2 user event (emitUser) took its subscribers' locks mid-transaction. A transaction that emitted
// one and then locked the chat's row (a change that posts a notice), beside one that locked the row and then emitted
// (a message sent in the chat), deadlocked: PostgreSQL aborts one and its call answers 500. The subscribers' locks
// are now taken at commit with the transaction's other event locks, after every row lock.
describe('defect 11: a user event and a chat row locked in reverse order by two transactions', () => {
  let server: TestServer;
  let chatId: number;

  before(async () => {
    server = await startTestServer();
    chatId = (await server.app.domain.chats.create({ type: 'C', title: 'Locks', authorId: 1, users: [1] })).id;
    assert.equal((await server.call('im.v2.Event.subscribe')).body.result, true);
  });
  after(() => server.close());

  const event = (n: number): UserEvent => ({
    event: 'ONIMV2MESSAGEADD',
    chatId,
    data: { userId: 1, n },
    at: new Date(),
  });

  it('both commit; the subscriber has both events, in commit order', async () => {
    const sink = new OutboxEventSink(new VirtualClock());
    const meet = barrier(2);
    const lockChat = (tx: { query: (sql: string, params: unknown[]) => Promise<unknown> }) =>
      tx.query('SELECT id FROM chats WHERE id = $1 FOR UPDATE', [chatId]);
    const committed: number[] = [];
    const emitFirst = server.db.tx(async (tx) => {
      await sink.emitUser(tx, event(1));
      await meet();
      await lockChat(tx);
      tx.afterCommit(() => committed.push(1));
    });
    const lockFirst = server.db.tx(async (tx) => {
      await lockChat(tx);
      await meet();
      await sink.emitUser(tx, event(2));
      tx.afterCommit(() => committed.push(2));
    });
    await Promise.all([emitFirst, lockFirst]);
    const rows = await server.db.query<{ data: { n: number } }>(
      "SELECT data FROM event_log WHERE subscriber_id = 1 AND event = 'ONIMV2MESSAGEADD' AND data::jsonb ? 'n' ORDER BY id",
    );
    assert.deepEqual(
      rows.map((r) => r.data.n),
      committed,
    );
  });
});
