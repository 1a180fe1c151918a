import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connect, type Database } from '../../src/store/db.ts';
import { testDatabase } from '../helpers/harness.ts';

// Statements with parameters are prepared once per connection (src/store/db.ts). A table that gains a column under
// a prepared `SELECT *` (a newer node migrated the database) fails that call once; the connection is replaced and
// the next call prepares it again, in and out of transactions.
describe('store: named statements', () => {
  let db: Database;
  let other: Database;
  before(async () => {
    db = await testDatabase();
    other = connect(db.url, 1);
    await other.query('CREATE TABLE grown (id int PRIMARY KEY)');
    await other.query('INSERT INTO grown VALUES (1)');
  });
  after(async () => {
    await other.close();
    await db.close();
  });

  const read = (via: 'pool' | 'tx') =>
    via === 'pool'
      ? db.one<Record<string, unknown>>('SELECT * FROM grown WHERE id = $1', [1])
      : db.tx((tx) => tx.one<Record<string, unknown>>('SELECT * FROM grown WHERE id = $1', [1]));

  for (const via of ['tx', 'pool'] as const) {
    it(`a table that gained a column costs one failed call (${via})`, async () => {
      assert.ok(await read(via));
      await other.query(`ALTER TABLE grown ADD COLUMN c_${via} int NOT NULL DEFAULT 7`);
      // Every connection that prepared it fails once, then is replaced: within the pool's size, calls recover.
      let row: Record<string, unknown> | undefined;
      for (let i = 0; i < 11 && !row; i++) {
        row = await read(via).catch((error) => {
          assert.equal(error.code, '0A000', error.message);
          return undefined;
        });
      }
      assert.equal(row?.[`c_${via}`], 7);
    });
  }
});
