import pg from 'pg';
import type { Database } from '../store/db.ts';
import { ident, tablesInOrder } from '../store/tables.ts';
import { ApiError } from '../wire/errors.ts';

/** How the session that keeps the start state shows in pg_stat_activity. */
export const SNAPSHOT_SESSION = 'b24-local start state';

interface Sequence {
  name: string;
  value: number | null;
}

/**
 * The store's data at one moment (when the server begins to listen), kept by PostgreSQL and never read into this
 * process. A session of its own, opened while start-up goes on, fixes a REPEATABLE READ snapshot in one round trip
 * (start-up does not wait on the store's size), then copies every data table into TEMP tables of that session in
 * the background. `restore` runs in that session: every table emptied, its rows put back from the copy in
 * foreign-key order with user triggers off, sequences set back, all in one statement. Ids, tokens and webhook URLs
 * are then exactly those of the start. Temp tables belong to the session: nodes sharing one database keep one each,
 * and the copy is gone when the session ends.
 */
export class StoreSnapshot {
  private readonly session: pg.Client;
  private readonly connected: Promise<unknown>;
  /** The statement that restores the copy, once the copy is done; undefined until `take`. */
  private restoring: Promise<string> | undefined;
  private copying = false;
  private pid: number | undefined;
  /** Why the session is gone, once it is. */
  private lost: string | undefined;

  /** Opens the session at once: fixing the moment later is then one round trip. */
  constructor(private readonly db: Database) {
    this.session = new pg.Client({ connectionString: db.url, application_name: SNAPSHOT_SESSION, keepAlive: true });
    this.session.on('error', (error) => (this.lost ??= error.message));
    this.session.on('end', () => (this.lost ??= 'its connection closed'));
    this.connected = this.session.connect();
    this.connected.catch(() => {}); // reported by `take`
  }

  /** Fixes the snapshot now; the copy goes on in the background. Rejects when the session could not be opened. */
  async take(): Promise<void> {
    this.copying = true;
    const fixed = this.fix();
    this.restoring = fixed.then((sequences) => this.copy(sequences));
    this.restoring.then(
      () => (this.copying = false),
      () => (this.copying = false),
    );
    this.restoring.catch(() => {}); // reported by `restore`
    await fixed.catch((error) => {
      throw lostError(this.lost ?? error);
    });
  }

  /** Back to the snapshot; waits for the copy if it is still under way. One statement: all of it, or nothing. */
  async restore(): Promise<void> {
    if (!this.restoring) throw lostError('it was never taken');
    const statement = await this.restoring.catch((error) => {
      throw lostError(this.lost ?? error);
    });
    if (this.lost) throw lostError(this.lost);
    // Several statements in one simple query run as one transaction; the session runs them one reset at a time.
    await this.session.query(statement).catch((error) => {
      throw this.lost || connectionGone(error) ? lostError(this.lost ?? error) : error;
    });
  }

  /** Ends the session; a copy still under way is cancelled first, so a large store does not hold the stop up. */
  async close(): Promise<void> {
    if (this.copying && this.pid !== undefined && !this.lost) {
      await this.db.query('SELECT pg_cancel_backend($1)', [this.pid]).catch(() => {});
    }
    await this.session.end().catch(() => {});
  }

  /**
   * One round trip: the transaction's first query fixes the snapshot. Sequences are not transactional, so they are
   * read now, at the moment, too.
   */
  private async fix(): Promise<Sequence[]> {
    await this.connected;
    const results = (await this.session.query(
      `BEGIN ISOLATION LEVEL REPEATABLE READ;
       SELECT pg_backend_pid() AS pid;
       SELECT sequencename AS name, last_value AS value FROM pg_sequences WHERE schemaname = current_schema()`,
    )) as unknown as pg.QueryResult[];
    this.pid = results[1].rows[0].pid;
    return results[2].rows;
  }

  /** Inside the snapshot's transaction: every data table into a TEMP table; answers the statement that restores. */
  private async copy(sequences: Sequence[]): Promise<string> {
    const { session } = this;
    const tables = await tablesInOrder({ query: async (sql, params) => (await session.query(sql, params)).rows });
    const statements = [`TRUNCATE ${tables.map((t) => ident(t.name)).join(', ')} RESTART IDENTITY CASCADE`];
    for (const [i, { name, triggers }] of tables.entries()) {
      const copy = await session.query(`CREATE TEMP TABLE snap_${i} AS SELECT * FROM ${ident(name)}`);
      if (!copy.rowCount) continue;
      if (triggers) statements.push(`ALTER TABLE ${ident(name)} DISABLE TRIGGER USER`);
      statements.push(`INSERT INTO ${ident(name)} SELECT * FROM pg_temp.snap_${i}`);
      if (triggers) statements.push(`ALTER TABLE ${ident(name)} ENABLE TRIGGER USER`);
    }
    await session.query('COMMIT');
    for (const { name, value } of sequences) {
      const sequence = session.escapeLiteral(ident(name));
      // A sequence never used (null) starts again at its first value.
      statements.push(`SELECT setval(${sequence}, ${value === null ? '1, false' : `${Number(value)}, true`})`);
    }
    return statements.join(';\n');
  }
}

/** No SQLSTATE (the socket closed), or class 08 (connection exception) / 57P (the server ended the session). */
function connectionGone(error: { code?: string }): boolean {
  return !error.code || error.code.startsWith('08') || error.code.startsWith('57P');
}

function lostError(error: unknown): ApiError {
  const reason = error instanceof Error ? error.message : String(error);
  return new ApiError(
    'START_STATE_LOST',
    `The start state to reset to is not available (${reason}); restart the server to take it again`,
  );
}
