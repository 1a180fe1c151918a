import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Database, Db } from '../../src/store/db.ts';
import { registerBot } from '../helpers/bots.ts';
import { startTestServer, type TestServer, testDatabase } from '../helpers/harness.ts';

/**
 * Every statement sent through the Db interface, each with the transaction it ran in (0: none) and whether it went
 * out while another of its transaction was unanswered (pipelined: no round trip of its own).
 */
function counting(db: Database, seen: Seen[]): Database {
  let txs = 0;
  const open = new Map<number, number>();
  const wrap = (inner: Db, tx: number): Db => {
    const sent = async <T>(sql: string, run: () => Promise<T>) => {
      seen.push({ sql, tx, pipelined: tx > 0 && (open.get(tx) ?? 0) > 0 });
      open.set(tx, (open.get(tx) ?? 0) + 1);
      try {
        return await run();
      } finally {
        open.set(tx, open.get(tx)! - 1);
      }
    };
    return {
      query: (sql, params, options) => sent(sql, () => inner.query(sql, params, options)),
      one: (sql, params) => sent(sql, () => inner.one(sql, params)),
      tx: (work) => inner.tx((t) => work(t === inner ? wrap(t, tx) : wrap(t, ++txs))),
      beforeCommit: (step) => inner.beforeCommit(step),
      afterCommit: (done) => inner.afterCommit(done),
    };
  };
  return { ...wrap(db, 0), url: db.url, close: () => db.close() };
}

interface Seen {
  sql: string;
  tx: number;
  pipelined: boolean;
}

// P5 (issue 14): what an im.message.add to a bot costs in statements, the count a busy machine cannot blur. The
// message's transaction is three statements besides BEGIN and COMMIT (the message with the chat's bookkeeping, the
// members with their counters, the event) in two round trips (the members are read behind the message without
// waiting for it; BEGIN goes with the first, src/store/db.ts); the chat's row and members stay cached across messages.
describe('store: statements of a message to a bot', () => {
  const seen: Seen[] = [];
  let server: TestServer;
  let chatId: number;
  let botId: number;
  before(async () => {
    server = await startTestServer({ db: counting(await testDatabase(), seen) });
    botId = await registerBot(server, 'counted', 'counted');
    chatId = (await server.call('imbot.chat.add', { BOT_ID: botId, USERS: [1], CLIENT_ID: 'counted' })).body.result;
  });
  after(async () => {
    await server.close();
  });

  const send = async (text: string) => {
    const from = seen.length;
    const { body } = await server.call('im.message.add', {
      DIALOG_ID: `chat${chatId}`,
      MESSAGE: `[USER=${botId}]Counted[/USER] ${text}`,
    });
    assert.equal(typeof body.result, 'number', JSON.stringify(body));
    return { id: body.result as number, statements: seen.slice(from) };
  };

  it('writes the message in three statements and two round trips of one transaction, the event included', async () => {
    const { statements } = await send('first');
    const tx = statements.find((s) => /INSERT INTO messages/.test(s.sql))!.tx;
    assert.ok(tx > 0, 'the message is written in a transaction');
    const mine = statements.filter((s) => s.tx === tx);
    assert.equal(mine.length, 3, mine.map((s) => s.sql.slice(0, 60)).join('\n'));
    assert.ok(
      mine.some((s) => /INSERT INTO event_log/.test(s.sql)),
      'the event is written with the message',
    );
    const waited = mine.filter((s) => !s.pipelined);
    assert.equal(waited.length, 2, waited.map((s) => s.sql.slice(0, 60)).join('\n'));
  });

  it('reads neither the chat nor its members again for the next message, and the cached row moves on', async () => {
    const { id, statements } = await send('second');
    const reread = statements.filter((s) => /FROM chats WHERE id|FROM chat_members WHERE chat_id/.test(s.sql));
    assert.deepEqual(
      reread.filter((s) => s.tx === 0),
      [],
    );
    const chat = await server.app.domain.chats.get(chatId);
    assert.equal(chat?.last_message_id, id);
    const counted = await server.db.one<{ n: number }>('SELECT message_count AS n FROM chats WHERE id = $1', [chatId]);
    assert.equal(chat?.message_count, counted?.n);
  });
});
