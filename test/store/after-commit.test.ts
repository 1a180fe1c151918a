import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Database } from '../../src/store/db.ts';
import { testDatabase } from '../helpers/harness.ts';

// Db.afterCommit: where the class that wrote rows drops its cache of them, so no reader caches a row between the
// write and the commit, and a rolled-back write leaves the cache alone.
describe('store: afterCommit', () => {
  let db: Database;
  before(async () => {
    db = await testDatabase();
  });
  after(() => db.close());

  it('runs once the transaction has committed, in the order added', async () => {
    const seen: string[] = [];
    await db.tx(async (tx) => {
      tx.afterCommit(() => seen.push('first'));
      await tx.query('SELECT 1');
      tx.afterCommit(() => seen.push('second'));
      assert.deepEqual(seen, [], 'nothing runs inside the transaction');
    });
    assert.deepEqual(seen, ['first', 'second']);
  });

  it('never runs after a rollback', async () => {
    const seen: string[] = [];
    await assert.rejects(
      db.tx(async (tx) => {
        tx.afterCommit(() => seen.push('dropped'));
        throw new Error('rolled back');
      }),
      /rolled back/,
    );
    assert.deepEqual(seen, []);
  });

  it('outside a transaction the write has already committed: runs at once', () => {
    const seen: string[] = [];
    db.afterCommit(() => seen.push('now'));
    assert.deepEqual(seen, ['now']);
  });
});
