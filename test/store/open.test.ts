import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { loadConfig } from '../../src/config/config.ts';
import { pendingMigrations } from '../../src/store/migrate.ts';
import { openStore } from '../../src/store/open.ts';
import { testDatabase } from '../helpers/harness.ts';

describe('openStore on the embedded PostgreSQL', () => {
  const dirs: string[] = [];
  after(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('a cluster made without the initdb cache gets its database on the first start, and keeps it', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'b24-open-'));
    dirs.push(dataDir);
    const config = loadConfig({ B24_DATA_DIR: dataDir, B24_INITDB_CACHE: 'off', DATABASE_URL: '' });
    let store = await openStore(config);
    try {
      assert.deepEqual(await pendingMigrations(store.db), []);
      await store.db.query(`INSERT INTO settings (key, value) VALUES ('kept', 'yes')`);
    } finally {
      await store.close();
    }
    store = await openStore(config);
    try {
      assert.deepEqual(await pendingMigrations(store.db), []);
      assert.equal((await store.db.one(`SELECT value FROM settings WHERE key = 'kept'`))?.value, 'yes');
    } finally {
      await store.close();
    }
  });
});

// The server's store is the one spawnStore hands out, whose calls wait for the migrations: a statement's options
// (the dispatcher's claim is `replan`) must reach the connection through it.
describe('openStore on DATABASE_URL', () => {
  it('keeps a replanned statement unprepared', async () => {
    const made = await testDatabase();
    await made.close();
    const store = await openStore(loadConfig({ DATABASE_URL: made.url }));
    try {
      // One after another: the pool keeps a single connection, whose prepared statements are listed.
      const replanned = 'SELECT count(*)::int AS n FROM settings WHERE key >= $1';
      const prepared = 'SELECT count(*)::int AS n FROM settings WHERE key <= $1';
      for (let i = 0; i < 8; i++) {
        await store.db.query(replanned, [String(i)], { replan: true });
        await store.db.query(prepared, [String(i)]);
      }
      const statements = (
        await store.db.query<{ statement: string }>('SELECT statement FROM pg_prepared_statements')
      ).map((r) => r.statement);
      assert.ok(statements.includes(prepared), statements.join('\n'));
      assert.ok(!statements.includes(replanned), statements.join('\n'));
    } finally {
      await store.close();
    }
  });
});
