import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../src/config/config.ts';
import { connect, type Database } from '../../src/store/db.ts';
import { startEmbedded } from '../../src/store/embedded.ts';
import { migrate } from '../../src/store/migrate.ts';
import { openStore } from '../../src/store/open.ts';
import { removeDir, tempDir, treeCpuMs } from './processes.ts';

export interface BenchStore {
  /** What a server gets as DATABASE_URL. */
  url: string;
  /** The bench's own connection, for setting up data with SQL while the server runs. */
  db: Database;
  /** CPU time the whole PostgreSQL cluster has used so far, ms (Linux). */
  cpuMs(): number;
  stop(): Promise<void>;
}

/**
 * An embedded PostgreSQL owned by the bench, migrated, for servers started with DATABASE_URL: the bench fills it
 * with SQL (generate_series) while a server uses it, and a server restarts on it in a second.
 */
export async function benchStore(): Promise<BenchStore> {
  const dir = tempDir();
  const server = await startEmbedded(dir);
  await server.createDatabase('b24');
  const url = server.url('b24');
  const db = connect(url, 2);
  await migrate(db);
  const postmaster = Number.parseInt(readFileSync(path.join(dir, 'pg', 'postmaster.pid'), 'utf8'), 10);
  return {
    url,
    db,
    cpuMs: () => treeCpuMs(postmaster),
    async stop() {
      await db.close();
      await server.stop();
      removeDir(dir);
    },
  };
}

/** Opens a server's embedded store (its data directory, the server stopped) to fill it with SQL. */
export async function withDataDir<T>(dataDir: string, work: (db: Database) => Promise<T>): Promise<T> {
  const store = await openStore(loadConfig({ B24_DATA_DIR: dataDir }));
  try {
    return await work(store.db);
  } finally {
    await store.close();
  }
}
