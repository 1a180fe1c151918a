import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { appendFile, cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { ConfigError } from '../../src/config/config-error.ts';
import { connect, type Database } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrate.ts';
import { testDatabase } from '../helpers/harness.ts';
import { runCliProcess } from '../helpers/processes.ts';

const MIGRATIONS = fileURLToPath(new URL('../../src/store/migrations', import.meta.url));

/** An empty database (not the migrated template), for migrating from nothing. */
async function emptyDatabase(): Promise<Database> {
  const base = process.env.B24_TEST_PG;
  if (!base) throw new Error('run the tests with test/run.mjs (it starts the shared PostgreSQL)');
  const name = `m_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}" TEMPLATE template0`);
  await admin.end();
  return connect(base.replace(/\/postgres$/, `/${name}`));
}

const sha256 = async (file: string) =>
  createHash('sha256')
    .update(await readFile(file, 'utf8'))
    .digest('hex');

describe('migrations are append-only', () => {
  const open: Database[] = [];
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'b24-migrations-'));
    await cp(MIGRATIONS, dir, { recursive: true });
  });
  after(async () => {
    await Promise.all(open.map((db) => db.close()));
    await rm(dir, { recursive: true, force: true });
  });
  const track = (db: Database) => {
    open.push(db);
    return db;
  };

  it('records the SHA-256 of every applied file', async () => {
    const db = track(await testDatabase());
    const rows = await db.query<{ name: string; checksum: string }>(
      'SELECT name, checksum FROM schema_migrations ORDER BY name',
    );
    const files = (await readdir(MIGRATIONS)).filter((f) => f.endsWith('.sql')).sort();
    assert.deepEqual(
      rows.map((r) => r.name),
      files,
    );
    for (const row of rows) assert.equal(row.checksum, await sha256(path.join(MIGRATIONS, row.name)), row.name);
  });

  it('refuses to migrate a store when an applied file changed, naming the file', async () => {
    const db = track(await emptyDatabase());
    assert.ok((await migrate(db, dir)).length > 0);
    const target = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort()[1];
    await appendFile(path.join(dir, target), '\nCREATE TABLE edited_after_the_fact (id integer);\n');
    await assert.rejects(migrate(db, dir), (error: Error) => {
      assert.ok(error instanceof ConfigError, 'a one-line start-up error, not a stack trace');
      assert.match(error.message, new RegExp(`^migration ${target} was changed after this store applied it`));
      assert.doesNotMatch(error.message, /\n/);
      return true;
    });
    const edited = await db.one("SELECT to_regclass('edited_after_the_fact') AS t");
    assert.equal(edited?.t, null, 'nothing of the changed file ran');
  });

  it('a store that recorded only names gets the checksums of the files it has now, then holds them', async () => {
    const db = track(await testDatabase());
    await db.query('ALTER TABLE schema_migrations DROP COLUMN checksum');
    assert.deepEqual(await migrate(db), [], 'nothing applied again');
    const rows = await db.query<{ name: string; checksum: string }>('SELECT name, checksum FROM schema_migrations');
    for (const row of rows) assert.equal(row.checksum, await sha256(path.join(MIGRATIONS, row.name)), row.name);
    await db.query("UPDATE schema_migrations SET checksum = 'an earlier text' WHERE name = '001_core.sql'");
    await assert.rejects(migrate(db), { message: /^migration 001_core\.sql was changed/ });
  });

  it('concurrent starts apply each file exactly once', async () => {
    const first = track(await emptyDatabase());
    const others = [connect(first.url), connect(first.url)].map(track);
    const results = await Promise.all([first, ...others].map((db) => migrate(db)));
    const files = (await readdir(MIGRATIONS)).filter((f) => f.endsWith('.sql')).sort();
    assert.deepEqual(results.flat().sort(), files, 'every file applied by one of the three');
    assert.equal(results.filter((r) => r.length > 0).length, 1, 'by the first to take the lock');
  });

  it('`b24-local serve` on a store whose applied migration changed exits with one line naming the file', async () => {
    const db = track(await testDatabase());
    await db.query("UPDATE schema_migrations SET checksum = 'an earlier text' WHERE name = '009_v2.sql'");
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'b24-migrate-cli-'));
    try {
      const result = await runCliProcess(['serve'], { DATABASE_URL: db.url, B24_DATA_DIR: dataDir, PORT: '0' });
      assert.equal(result.code, 1, result.stderr);
      assert.match(result.stderr, /^b24-local failed to start: migration 009_v2\.sql was changed after this store/);
      assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
