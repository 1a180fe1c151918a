import type { Db } from '../store/db.ts';

/**
 * A server-wide value kept in the store (`settings`): the one there, or `create()`'s, stored on first use. Nodes
 * starting at once on one database agree on the first writer's value.
 */
export async function settingOrCreate(db: Db, key: string, create: () => string): Promise<string> {
  const stored = await db.one<{ value: string }>('SELECT value FROM settings WHERE key = $1', [key]);
  if (stored) return stored.value; // every start but the first: one round trip
  await db.query('INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT DO NOTHING', [key, create()]);
  const row = await db.one<{ value: string }>('SELECT value FROM settings WHERE key = $1', [key]);
  return row!.value;
}
