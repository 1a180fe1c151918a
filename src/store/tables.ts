import type { Db } from './db.ts';

/** Tables that describe the store rather than its data: emptying the store leaves them alone. */
const KEPT = new Set(['schema_migrations', 'settings']);

export interface DataTable {
  name: string;
  /** The table has triggers of its own (the v2 event log). */
  triggers: boolean;
}

/** The data tables of the schema, each after the tables its foreign keys point to. */
export async function tablesInOrder(db: Pick<Db, 'query'>): Promise<DataTable[]> {
  const tables = await db.query<DataTable>(
    `SELECT c.relname AS name,
            EXISTS (SELECT 1 FROM pg_trigger g WHERE g.tgrelid = c.oid AND NOT g.tgisinternal) AS triggers
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') ORDER BY c.relname`,
  );
  const edges = await db.query<{ child: string; parent: string }>(
    `SELECT c.relname AS child, p.relname AS parent
     FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class p ON p.oid = k.confrelid
     JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE k.contype = 'f' AND n.nspname = current_schema() AND c.relname <> p.relname`,
  );
  const data = tables.filter((t) => !KEPT.has(t.name));
  const ordered: DataTable[] = [];
  const placed = new Set<string>();
  while (ordered.length < data.length) {
    const ready = data.filter(
      (t) =>
        !placed.has(t.name) && edges.every((e) => e.child !== t.name || placed.has(e.parent) || KEPT.has(e.parent)),
    );
    if (!ready.length) throw new Error('the schema has a foreign-key cycle between tables');
    for (const t of ready) {
      ordered.push(t);
      placed.add(t.name);
    }
  }
  return ordered;
}

/** Empties every data table and restarts its ids: a fixtures file starts from nothing. */
export async function emptyStore(db: Db): Promise<void> {
  const tables = await tablesInOrder(db);
  await db.query(`TRUNCATE ${tables.map((t) => ident(t.name)).join(', ')} RESTART IDENTITY CASCADE`);
}

export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
