import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../config/config-error.ts';
import type { Db } from './db.ts';

const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

/** Any number, the same on every node: the key of the advisory lock that serialises concurrent starts. */
const MIGRATION_LOCK = 424242;

const migrationNames = async (dir: string) => (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort();

/** Migrations this code has that the store has not applied (readiness: a node must not serve an old schema). */
export async function pendingMigrations(db: Db): Promise<string[]> {
  const rows = await db.query<{ name: string }>('SELECT name FROM schema_migrations');
  const done = new Set(rows.map((r) => r.name));
  return (await migrationNames(MIGRATIONS_DIR)).filter((name) => !done.has(name));
}

/**
 * Applies `migrations/NNN_name.sql` in order, once each, and records the SHA-256 of each applied file. Migrations are
 * append-only: a file whose content changed after it was applied stops the start (ConfigError naming the file), since
 * the store would silently lack what the new text adds. A store from before checksums were recorded gets the checksum
 * of the file it has now, once (docs/decisions.md "Storage"). Concurrent starts wait on one advisory lock, so each
 * file is applied by exactly one node.
 */
export async function migrate(db: Db, dir = MIGRATIONS_DIR): Promise<string[]> {
  const files = await migrationFiles(dir);
  if (await applied(db, files)) return [];
  return db.tx(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    await tx.query('ALTER TABLE schema_migrations ADD COLUMN IF NOT EXISTS checksum text');
    const recorded = new Map(
      (await tx.query<{ name: string; checksum: string | null }>('SELECT name, checksum FROM schema_migrations')).map(
        (r) => [r.name, r.checksum],
      ),
    );
    const applied: string[] = [];
    for (const file of files) {
      if (!recorded.has(file.name)) {
        await tx.query(file.sql).catch((error: Error) => {
          throw new Error(`migration ${file.name} failed: ${error.message}`, { cause: error });
        });
        await tx.query('INSERT INTO schema_migrations (name, checksum) VALUES ($1, $2)', [file.name, file.checksum]);
        applied.push(file.name);
      } else if (recorded.get(file.name) === null) {
        await tx.query('UPDATE schema_migrations SET checksum = $2 WHERE name = $1', [file.name, file.checksum]);
      } else if (recorded.get(file.name) !== file.checksum) {
        throw new ConfigError(
          `migration ${file.name} was changed after this store applied it; migrations are append-only: restore the file and put the change in a new numbered migration`,
        );
      }
    }
    return applied;
  });
}

/**
 * Every file applied with its checksum: what every start after the first finds, told by one query without the
 * lock. Anything else (a new store, a file to apply, a checksum to record or that differs, an error) is for the
 * locked pass to do or to report.
 */
async function applied(db: Db, files: { name: string; checksum: string }[]): Promise<boolean> {
  const rows = await db
    .query<{ name: string; checksum: string | null }>('SELECT name, checksum FROM schema_migrations')
    .catch(() => undefined);
  if (!rows) return false;
  const recorded = new Map(rows.map((r) => [r.name, r.checksum]));
  return files.every((file) => recorded.get(file.name) === file.checksum);
}

async function migrationFiles(dir: string) {
  return Promise.all(
    (await migrationNames(dir)).map(async (name) => {
      const sql = await readFile(path.join(dir, name), 'utf8');
      return { name, sql, checksum: checksum(sql) };
    }),
  );
}

/** What `migrate` would make of an empty database: the files' names and checksums, hashed. */
export async function migrationsKey(dir = MIGRATIONS_DIR): Promise<string> {
  const files = await migrationFiles(dir);
  return checksum(files.map((f) => `${f.name} ${f.checksum}`).join('\n'));
}

/** Line endings do not count, so a checkout with CRLF conversion is not a changed migration. */
function checksum(sql: string): string {
  return createHash('sha256').update(sql.replace(/\r\n/g, '\n')).digest('hex');
}
