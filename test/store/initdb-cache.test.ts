import assert from 'node:assert/strict';
import { chmod, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { type EmbeddedServer, startEmbedded } from '../../src/store/embedded.ts';

/**
 * Issue 15: a first start copies a cluster made once by initdb (and prepared: database, schema) from a per-user
 * cache instead of running initdb. Each case has its own cache directory (XDG_CACHE_HOME, read at every start).
 */
describe('initdb cache', () => {
  const dirs: string[] = [];
  const tempDir = async (prefix: string) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
    await chmod(dir, 0o755); // as root, PostgreSQL (user postgres) must reach <dir>/pg
    dirs.push(dir);
    return dir;
  };
  const asRoot = process.getuid?.() === 0;
  let cacheHome: string;
  /** A preparation that leaves a mark in the cluster and counts its runs. */
  const prepared = { runs: 0 };
  const prepare = {
    key: async () => 'test-mark-1',
    async run(server: EmbeddedServer) {
      prepared.runs++;
      await server.createDatabase('marked');
    },
  };
  const databases = async (server: EmbeddedServer) => {
    const client = new pg.Client({ connectionString: server.url('postgres') });
    await client.connect();
    try {
      return (await client.query<{ datname: string }>('SELECT datname FROM pg_database')).rows.map((r) => r.datname);
    } finally {
      await client.end();
    }
  };
  const entries = async () => readdir(path.join(cacheHome, 'b24-local')).catch(() => [] as string[]);

  before(async () => {
    cacheHome = await tempDir('b24-cache-home-');
    process.env.XDG_CACHE_HOME = cacheHome;
  });
  after(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('the first cluster fills the cache (prepared, then stopped); the next is a copy of it', async () => {
    const first = await startEmbedded(await tempDir('b24-cache-a-'), { prepare });
    try {
      assert.ok((await databases(first)).includes('marked'));
    } finally {
      await first.stop();
    }
    assert.equal(prepared.runs, 1);
    const cached = await entries();
    assert.equal(cached.length, 1, `one cluster, no half-made copies: ${cached}`);
    assert.match(cached[0], /^pg-\d[\w.-]*-[0-9a-f]{12}$/);
    const cacheDir = path.join(cacheHome, 'b24-local');
    assert.equal((await stat(cacheDir)).mode & 0o777, 0o700, 'the cache is private');

    const dir = await tempDir('b24-cache-b-');
    const second = await startEmbedded(dir, { prepare });
    try {
      assert.equal(prepared.runs, 1, 'the copy needs no preparation');
      assert.ok((await databases(second)).includes('marked'), 'the prepared database came with the copy');
    } finally {
      await second.stop();
    }
    const cluster = await stat(path.join(dir, 'pg'));
    assert.equal(cluster.mode & 0o777, 0o700, 'PostgreSQL refuses a data directory open to others');
    if (asRoot) {
      const postgres = await stat(path.join(dir, 'pg', 'global', 'pg_control'));
      assert.notEqual(postgres.uid, 0, 'as root the copy belongs to the user PostgreSQL runs as');
      assert.equal(cluster.uid, postgres.uid);
    }
    assert.deepEqual(await readdir(dir), ['pg'], 'no password file or half-made cluster left beside it');
  });

  it('a restart on an existing cluster does not ask for the preparation key (the migrations are read later)', async () => {
    const dir = await tempDir('b24-cache-r-');
    await (await startEmbedded(dir, { prepare })).stop();
    let asked = 0;
    const counted = { ...prepare, key: async () => `test-mark-${++asked}` };
    await (await startEmbedded(dir, { prepare: counted })).stop();
    assert.equal(asked, 0);
  });

  it('another preparation is another cluster in the cache', async () => {
    const other = { key: async () => 'test-mark-2', run: prepare.run };
    await (await startEmbedded(await tempDir('b24-cache-c-'), { prepare: other })).stop();
    assert.equal(prepared.runs, 2);
    assert.equal((await entries()).length, 2);
  });

  it('initdbCache: false runs initdb and prepares nothing, leaving the cache alone', async () => {
    const before = await entries();
    const server = await startEmbedded(await tempDir('b24-cache-d-'), {
      initdbCache: false,
      prepare: { key: async () => 'test-mark-3', run: prepare.run },
    });
    try {
      assert.ok(!(await databases(server)).includes('marked'));
    } finally {
      await server.stop();
    }
    assert.equal(prepared.runs, 2);
    assert.deepEqual(await entries(), before);
  });

  it('concurrent first starts on an empty cache all start, and the cache holds one whole cluster', async () => {
    process.env.XDG_CACHE_HOME = cacheHome = await tempDir('b24-cache-home-');
    const servers = await Promise.all(
      [1, 2, 3].map(async () => startEmbedded(await tempDir('b24-cache-e-'), { prepare })),
    );
    try {
      for (const server of servers) assert.ok((await databases(server)).includes('marked'));
    } finally {
      for (const server of servers) await server.stop();
    }
    assert.equal((await entries()).length, 1, `no leftovers of the copies that lost: ${await entries()}`);
    const server = await startEmbedded(await tempDir('b24-cache-f-'), { prepare });
    try {
      assert.ok((await databases(server)).includes('marked'));
    } finally {
      await server.stop();
    }
  });
});
