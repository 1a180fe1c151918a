import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connect, type Database } from '../../src/store/db.ts';
import { testDatabase } from '../helpers/harness.ts';

// Connections run in pipeline mode (src/store/db.ts): BEGIN goes out with a transaction's first statement, and
// statements a transaction issues together go out without waiting for each other. They must still run in order,
// inside the transaction, and a failure must still roll all of it back.
describe('store: pipelined transactions', () => {
  let db: Database;
  before(async () => {
    const made = await testDatabase();
    db = connect(made.url, 1); // one connection: every statement below shares it
    await made.close();
    await db.query('CREATE TABLE piped (id int PRIMARY KEY, note text)');
  });
  after(async () => {
    await db.close();
  });

  it('runs statements issued together in the order issued, in the transaction', async () => {
    const [, seen] = await db.tx((tx) =>
      Promise.all([
        tx.query('INSERT INTO piped VALUES ($1, $2)', [1, 'a']),
        tx.query<{ n: number }>('SELECT count(*)::int AS n FROM piped WHERE id = $1', [1]),
      ]),
    );
    assert.equal(seen[0].n, 1, 'the read behind the write sees it');
    // The three shared one transaction: its start time is the same for all of them.
    const times = await db.tx((tx) =>
      Promise.all([1, 2, 3].map((i) => tx.one<{ t: Date }>('SELECT now() AS t, $1::int AS i', [i]))),
    );
    assert.equal(new Set(times.map((r) => r!.t.getTime())).size, 1);
  });

  it('rolls the whole transaction back when a statement sent behind another fails', async () => {
    await assert.rejects(
      db.tx((tx) =>
        Promise.all([
          tx.query('INSERT INTO piped VALUES ($1, $2)', [2, 'b']),
          tx.query('INSERT INTO piped VALUES ($1, $2)', [1, 'duplicate']),
          tx.query('INSERT INTO piped VALUES ($1, $2)', [3, 'c']),
        ]),
      ),
      /duplicate key/,
    );
    const rows = await db.query<{ id: number }>('SELECT id FROM piped WHERE id > $1 ORDER BY id', [0]);
    assert.deepEqual(
      rows.map((r) => r.id),
      [1],
    );
    // The connection is usable again, outside and inside a transaction.
    assert.equal((await db.tx((tx) => tx.one<{ n: number }>('SELECT $1::int AS n', [5])))?.n, 5);
  });

  it('keeps a replanned statement unprepared and prepares the others once', async () => {
    const replanned = 'SELECT count(*)::int AS n FROM piped WHERE id >= $1';
    const prepared = 'SELECT count(*)::int AS n FROM piped WHERE id <= $1';
    for (let i = 0; i < 8; i++) {
      await db.query(replanned, [i], { replan: true });
      await db.query(prepared, [i]);
    }
    const statements = (await db.query<{ statement: string }>('SELECT statement FROM pg_prepared_statements')).map(
      (r) => r.statement,
    );
    assert.ok(statements.includes(prepared), statements.join('\n'));
    assert.ok(!statements.includes(replanned), statements.join('\n'));
  });
});
