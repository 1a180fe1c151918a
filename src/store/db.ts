import pg from 'pg';

// int8 (bigserial ids, counts) as JS numbers: our ids stay far below 2^53.
pg.types.setTypeParser(20, (v) => Number(v));

/** The narrow storage interface every domain module uses: SQL in, rows out, transactions. */
export interface Db {
  query<T = Record<string, any>>(sql: string, params?: unknown[]): Promise<T[]>;
  one<T = Record<string, any>>(sql: string, params?: unknown[]): Promise<T | undefined>;
  tx<T>(work: (db: Db) => Promise<T>): Promise<T>;
}

export interface Database extends Db {
  readonly url: string;
  close(): Promise<void>;
}

class ClientDb implements Db {
  constructor(private readonly client: pg.PoolClient) {}
  async query<T>(sql: string, params?: unknown[]): Promise<T[]> {
    return (await this.client.query(sql, params as unknown[])).rows as T[];
  }
  async one<T>(sql: string, params?: unknown[]): Promise<T | undefined> {
    return (await this.query<T>(sql, params))[0];
  }
  tx<T>(work: (db: Db) => Promise<T>): Promise<T> {
    return work(this); // already inside a transaction
  }
}

export function connect(url: string, max = 10): Database {
  const pool = new pg.Pool({ connectionString: url, max });
  pool.on('error', () => {}); // an idle client lost its server: the next query reports it
  return {
    url,
    async query<T>(sql: string, params?: unknown[]): Promise<T[]> {
      return (await pool.query(sql, params as unknown[])).rows as T[];
    },
    async one<T>(sql: string, params?: unknown[]): Promise<T | undefined> {
      return (await pool.query(sql, params as unknown[])).rows[0] as T | undefined;
    },
    async tx<T>(work: (db: Db) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work(new ClientDb(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
