import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { loadConfig } from '../../src/config/config.ts';
import { pendingMigrations } from '../../src/store/migrate.ts';
import { openStore } from '../../src/store/open.ts';

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
