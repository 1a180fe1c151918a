import pg from 'pg';

// int8 (bigserial ids, counts) as JS numbers: our ids stay far below 2^53.
pg.types.setTypeParser(20, (v) => Number(v));

/** The narrow storage interface every domain module uses: SQL in, rows out, transactions. */
/** `replan`: planned for its values at every call, never on a cached generic plan (see `named`). */
export interface QueryOptions {
  replan?: boolean;
}

export interface Db {
  query<T = Record<string, any>>(sql: string, params?: unknown[], options?: QueryOptions): Promise<T[]>;
  one<T = Record<string, any>>(sql: string, params?: unknown[]): Promise<T | undefined>;
  tx<T>(work: (db: Db) => Promise<T>): Promise<T>;
  /**
   * Inside a transaction: runs `step` after the work and just before COMMIT (steps in the order added; a failing
   * step rolls back). Locks a step takes are held for the shortest time, and taken in one place.
   */
  beforeCommit(step: () => Promise<void>): void;
  /**
   * Runs `done` once the transaction has committed (never after a rollback); outside one, at once. The class that
   * writes rows drops its cache of them here, so no reader caches a row between the write and the commit.
   */
  afterCommit(done: () => void): void;
}

export interface Database extends Db {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * A statement with parameters is named on first use, so each connection parses it once and PostgreSQL may keep a
 * generic plan instead of planning every call (node-postgres prepares a named statement once per connection). At
 * most MAX_NAMED texts are named (a text built from values must not grow every connection's statements for ever);
 * the rest run unnamed, as before. Without parameters a text may hold several commands: those stay unnamed. A
 * statement whose best plan changes as its tables grow from nothing (the dispatcher's claim) runs unnamed
 * (`replan`): a generic plan made on a small table's statistics stays for the life of the connection.
 */
const MAX_NAMED = 2000;
/**
 * "cached plan must not change result type": a newer node added a column to a table this connection prepared a
 * `SELECT *` of. That call fails; its connection is closed (pool.query closes it on any error), so the next one
 * prepares the statement afresh.
 */
const STALE_STATEMENT = '0A000';
const names = new Map<string, string>();
function named(text: string, values?: unknown[], options?: QueryOptions): pg.QueryConfig {
  if (!values?.length || options?.replan) return { text, values };
  let name = names.get(text);
  if (!name && names.size < MAX_NAMED) {
    name = `b24_${names.size}`;
    names.set(text, name);
  }
  return { name, text, values };
}

class ClientDb implements Db {
  readonly steps: (() => Promise<void>)[] = [];
  readonly done: (() => void)[] = [];
  constructor(private readonly client: pg.PoolClient) {}
  async query<T>(sql: string, params?: unknown[], options?: QueryOptions): Promise<T[]> {
    return (await this.client.query(named(sql, params, options))).rows as T[];
  }
  async one<T>(sql: string, params?: unknown[]): Promise<T | undefined> {
    return (await this.query<T>(sql, params))[0];
  }
  tx<T>(work: (db: Db) => Promise<T>): Promise<T> {
    return work(this); // already inside a transaction
  }
  beforeCommit(step: () => Promise<void>): void {
    this.steps.push(step);
  }
  afterCommit(done: () => void): void {
    this.done.push(done);
  }
}

/**
 * Connections run in node-postgres's pipeline mode: a statement goes out while the one before it on the connection
 * is still unanswered, so BEGIN travels with a transaction's first statement (a round trip less per transaction) and
 * statements a transaction issues together share one. PostgreSQL runs them in order; each has its own Sync, so a
 * failed one fails only itself (in a transaction, the rest fail as the aborted transaction's).
 */
export function connect(url: string, max = 10): Database {
  const pool = new pg.Pool({ connectionString: url, max, pipeline: true });
  pool.on('error', () => {}); // an idle client lost its server: the next query reports it
  return {
    url,
    async query<T>(sql: string, params?: unknown[], options?: QueryOptions): Promise<T[]> {
      return (await pool.query(named(sql, params, options))).rows as T[];
    },
    async one<T>(sql: string, params?: unknown[]): Promise<T | undefined> {
      return (await pool.query(named(sql, params))).rows[0] as T | undefined;
    },
    async tx<T>(work: (db: Db) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      let stale: Error | undefined;
      try {
        const begun = client.query('BEGIN');
        begun.catch(() => {}); // reported below, after the work's own failure if it comes first
        const db = new ClientDb(client);
        const result = await work(db);
        await begun;
        for (let i = 0; i < db.steps.length; i++) await db.steps[i]();
        await client.query('COMMIT');
        for (const done of db.done) done();
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        if ((error as { code?: string }).code === STALE_STATEMENT) stale = error as Error;
        throw error;
      } finally {
        client.release(stale); // with an error: the pool closes the connection
      }
    },
    beforeCommit() {
      throw new Error('beforeCommit outside a transaction');
    },
    afterCommit(done) {
      done();
    },
    close: () => pool.end(),
  };
}
