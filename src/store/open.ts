import type { Config } from '../config/config.ts';
import { connect, type Database } from './db.ts';
import { type EmbeddedServer, startEmbedded } from './embedded.ts';
import { migrate, migrationsKey } from './migrate.ts';

export interface OpenStore {
  db: Database;
  close(): Promise<void>;
}

/** DATABASE_URL → that PostgreSQL; otherwise the embedded one under the data directory. Migrated either way. */
export async function openStore(config: Config): Promise<OpenStore> {
  if (config.databaseUrl) {
    const db = connect(config.databaseUrl);
    await migrate(db).catch(async (error) => {
      await db.close();
      throw error;
    });
    return { db, close: () => db.close() };
  }
  const server = await startEmbedded(config.dataDir, {
    initdbCache: config.initdbCache,
    // A new cluster from the cache already holds the migrated database; `migrate` below then only checks it.
    prepare: { key: await migrationsKey(), run: (embedded) => createStoreDatabase(embedded) },
  });
  const db = connect(server.url(DATABASE));
  try {
    await migrate(db).catch(async (error: { code?: string }) => {
      // No database: a cluster made without the initdb cache (or before it existed) gets it on its first start.
      if (error.code !== '3D000') throw error;
      await server.createDatabase(DATABASE);
      await migrate(db);
    });
  } catch (error) {
    // A refused migration must not leave the PostgreSQL child running.
    await db.close();
    await server.stop();
    throw error;
  }
  return {
    db,
    async close() {
      await db.close();
      await server.stop();
    },
  };
}

const DATABASE = 'b24';

async function createStoreDatabase(server: EmbeddedServer): Promise<void> {
  await server.createDatabase(DATABASE);
  const db = connect(server.url(DATABASE));
  try {
    await migrate(db);
  } finally {
    await db.close();
  }
}
