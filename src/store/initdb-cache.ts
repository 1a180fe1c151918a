import { randomBytes } from 'node:crypto';
import { constants, existsSync } from 'node:fs';
import { chmod, chown, copyFile, lchown, lstat, mkdir, readdir, readlink, rename, rm, symlink } from 'node:fs/promises';
import path from 'node:path';
import { cacheRoot } from './cache-root.ts';
import type { RunAs } from './postgres-binaries.ts';

// initdb takes over a second; its output depends only on the PostgreSQL build and the options. The first cluster
// made is kept in a per-user cache and copied into every new data directory (docs/decisions.md "Store").

/** The cached cluster `key` copied to `target` (which must not exist), owned by `runAs`; false on a miss. */
export async function restoreCluster(key: string, target: string, runAs: RunAs | undefined): Promise<boolean> {
  const root = await cacheRoot();
  const cached = root && path.join(root, key);
  if (!cached || !existsSync(path.join(cached, 'global', 'pg_control'))) return false;
  try {
    await copyTree(cached, target, runAs);
    return true;
  } catch {
    await rm(target, { recursive: true, force: true });
    return false;
  }
}

/**
 * Keeps a copy of the freshly initialised cluster `source` as `key`, unless one is there: copied beside it and
 * renamed into place, so concurrent first starts never see half a cluster (the loser's copy is dropped). Best
 * effort: a cache that cannot be written only costs the next start its initdb.
 */
export async function saveCluster(key: string, source: string): Promise<void> {
  const root = await cacheRoot();
  if (!root || existsSync(path.join(root, key))) return;
  await prune(root);
  const building = path.join(root, `.${key}.${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    await copyTree(source, building, undefined);
    await rename(building, path.join(root, key));
  } catch {
    await rm(building, { recursive: true, force: true }).catch(() => {});
  }
}

/** Copies left by a process killed while saving (over an hour old), and all but the newest clusters (`pg-…`). */
async function prune(root: string): Promise<void> {
  const entries = await Promise.all(
    (await readdir(root).catch(() => [])).map(async (name) => {
      const info = await lstat(path.join(root, name)).catch(() => undefined);
      return { file: path.join(root, name), name, age: info ? Date.now() - info.mtimeMs : 0 };
    }),
  );
  const stale = entries.filter((e) => e.name.startsWith('.') && e.age > 3_600_000);
  const kept = entries.filter((e) => e.name.startsWith('pg-')).sort((a, b) => a.age - b.age);
  // Another PostgreSQL version, other options or migrations; a start copying one just now falls back to initdb.
  for (const entry of [...stale, ...kept.slice(KEEP - 1)]) await rm(entry.file, { recursive: true, force: true });
}

/** Clusters kept (about 50 MB each): the suite's plain one and the server's, across a change of migrations. */
const KEEP = 4;

/** A copy with the same modes (PostgreSQL insists on 0700/0750 directories), owned by `owner` when given. */
async function copyTree(source: string, target: string, owner: RunAs | undefined): Promise<void> {
  const info = await lstat(source);
  await mkdir(target);
  await chmod(target, info.mode & 0o7777); // mkdir's mode is masked by the umask
  if (owner) await chown(target, owner.uid, owner.gid);
  const entries = await readdir(source, { withFileTypes: true });
  await Promise.all(
    entries.map(async (entry) => {
      const from = path.join(source, entry.name);
      const to = path.join(target, entry.name);
      if (entry.isDirectory()) return copyTree(from, to, owner);
      if (entry.isSymbolicLink()) await symlink(await readlink(from), to);
      else await copyFile(from, to, constants.COPYFILE_FICLONE); // keeps the mode; copy-on-write where it can
      if (owner) await lchown(to, owner.uid, owner.gid);
    }),
  );
}
