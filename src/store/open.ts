import type { Config } from '../config/config.ts';
import { connect, type Database } from './db.ts';
import { startEmbedded } from './embedded.ts';
import { migrate } from './migrate.ts';

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
  const server = await startEmbedded(config.dataDir);
  await server.createDatabase('b24');
  const db = connect(server.url('b24'));
  // A refused migration must not leave the PostgreSQL child running.
  await migrate(db).catch(async (error) => {
    await db.close();
    await server.stop();
    throw error;
  });
  return {
    db,
    async close() {
      await db.close();
      await server.stop();
    },
  };
}
