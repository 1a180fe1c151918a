import type { Config } from '../config/config.ts';
import type { Database, Db, QueryOptions } from './db.ts';
import { type EmbeddedServer, spawnEmbedded } from './embedded.ts';
import { migrate, migrationsKey } from './migrate.ts';

export interface OpenStore {
  db: Database;
  close(): Promise<void>;
}

/** The store on its way (spawnStore). */
export interface StartingStore extends OpenStore {
  /**
   * PostgreSQL accepts connections and the migrations are applied; until then `db` holds its calls. Rejects with
   * what stopped it, having stopped what it started (`close` then has nothing to do).
   */
  opened: Promise<void>;
  /** The store's own error when it could not open (what waited for it failed for that reason), else `error`. */
  causeOf(error: unknown): Promise<unknown>;
}

/** DATABASE_URL → that PostgreSQL; otherwise the embedded one under the data directory. Migrated either way. */
export async function openStore(config: Config): Promise<OpenStore> {
  const store = await spawnStore(config);
  await store.opened;
  return store;
}

/**
 * `openStore` that resolves once the embedded PostgreSQL is spawned (at once with DATABASE_URL), so the caller
 * loads its code and builds its objects while PostgreSQL starts (~150 ms of its own); their queries wait in `db`.
 * The SQL client (pg) loads after the spawn too: compiling modules holds this thread, which the spawn waits for.
 */
export async function spawnStore(config: Config): Promise<StartingStore> {
  const server = config.databaseUrl
    ? undefined
    : await spawnEmbedded(config.dataDir, {
        initdbCache: config.initdbCache,
        // A new cluster from the cache already holds the migrated database; `migrate` below then only checks it.
        // The key (every migration file read and hashed) only for a new cluster: a restart spawns without it.
        prepare: { key: () => migrationsKey(), run: (embedded) => createStoreDatabase(embedded) },
      });
  const { connect } = await import('./db.ts');
  const db = connect(server ? server.url(DATABASE) : config.databaseUrl!);
  const opened = (async () => {
    try {
      await server?.ready;
      await migrate(db).catch(async (error: { code?: string }) => {
        // No database: a cluster made without the initdb cache (or before it existed) gets it on its first start.
        if (!server || error.code !== '3D000') throw error;
        await server.createDatabase(DATABASE);
        await migrate(db);
      });
    } catch (error) {
      // A refused migration must not leave the PostgreSQL child running.
      await db.close();
      await server?.stop();
      throw error;
    }
  })();
  opened.catch(() => {}); // reported to whoever awaits it, even when it fails while they are busy elsewhere
  let closing: Promise<void> | undefined;
  return {
    db: heldUntil(opened, db),
    opened,
    causeOf: (error) =>
      opened.then(
        () => error,
        (failed) => failed,
      ),
    close: () =>
      (closing ??= opened.then(
        async () => {
          await db.close();
          await server?.stop();
        },
        () => {},
      )),
  };
}

/** `db` whose calls wait for `until` while it is pending (and fail with its error), and go straight through after. */
function heldUntil(until: Promise<void>, db: Database): Database {
  let pending: Promise<void> | undefined = until.then(() => {
    pending = undefined;
  });
  pending.catch(() => {});
  const held = <T>(call: () => Promise<T>): Promise<T> => (pending ? pending.then(call) : call());
  return {
    url: db.url,
    query<T>(sql: string, params?: unknown[], options?: QueryOptions) {
      return held(() => db.query<T>(sql, params, options));
    },
    one<T>(sql: string, params?: unknown[]) {
      return held(() => db.one<T>(sql, params));
    },
    tx<T>(work: (tx: Db) => Promise<T>) {
      return held(() => db.tx(work));
    },
    beforeCommit: (step) => db.beforeCommit(step),
    afterCommit: (done) => db.afterCommit(done),
    close: () => db.close(),
  };
}

const DATABASE = 'b24';

async function createStoreDatabase(server: EmbeddedServer): Promise<void> {
  await server.createDatabase(DATABASE);
  const { connect } = await import('./db.ts');
  const db = connect(server.url(DATABASE));
  try {
    await migrate(db);
  } finally {
    await db.close();
  }
}
