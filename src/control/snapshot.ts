import type { Db } from '../store/db.ts';
import { ident, tablesInOrder } from '../store/tables.ts';

interface TableRows {
  name: string;
  /** The rows as one JSON array, exactly as PostgreSQL wrote them. */
  rows: string;
  /** The table has triggers of its own (the v2 event log): they must not fire while its rows come back. */
  triggers: boolean;
}

/**
 * The store's data at one moment (after start-up: the env bootstrap or the fixtures), to return to in one
 * transaction: every table emptied, its rows put back in foreign-key order with their triggers off, sequences set
 * back. Ids, tokens and webhook URLs are then exactly those of the start, which neither re-running the bootstrap
 * nor deleting rows would give.
 */
export class StoreSnapshot {
  private constructor(
    private readonly tables: TableRows[],
    private readonly sequences: { name: string; value: number | null }[],
  ) {}

  static async take(db: Db): Promise<StoreSnapshot> {
    return db.tx(async (tx) => {
      await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
      const tables: TableRows[] = [];
      for (const { name, triggers } of await tablesInOrder(tx)) {
        const row = await tx.one<{ rows: string }>(
          `SELECT coalesce(json_agg(t), '[]')::text AS rows FROM ${ident(name)} t`,
        );
        tables.push({ name, rows: row!.rows, triggers });
      }
      const sequences = await tx.query<{ name: string; value: number | null }>(
        `SELECT sequencename AS name, last_value AS value FROM pg_sequences WHERE schemaname = current_schema()`,
      );
      return new StoreSnapshot(tables, sequences);
    });
  }

  async restore(db: Db): Promise<void> {
    await db.tx(async (tx) => {
      await tx.query(`TRUNCATE ${this.tables.map((t) => ident(t.name)).join(', ')} RESTART IDENTITY CASCADE`);
      for (const table of this.tables) {
        if (table.rows === '[]') continue;
        const name = ident(table.name);
        if (table.triggers) await tx.query(`ALTER TABLE ${name} DISABLE TRIGGER USER`);
        await tx.query(`INSERT INTO ${name} SELECT * FROM json_populate_recordset(NULL::${name}, $1::json)`, [
          table.rows,
        ]);
        if (table.triggers) await tx.query(`ALTER TABLE ${name} ENABLE TRIGGER USER`);
      }
      for (const { name, value } of this.sequences) {
        // A sequence never used (null) starts again at its first value.
        if (value === null) await tx.query('SELECT setval($1::regclass, 1, false)', [ident(name)]);
        else await tx.query('SELECT setval($1::regclass, $2, true)', [ident(name), value]);
      }
    });
  }
}
