import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../src/store/embedded.ts';

// Debian's own PostgreSQL and Redis for the multi-node suite: started as plain child processes (no systemd) on free
// loopback ports in temporary directories, stopped by the returned function. A missing package is installed with
// apt-get when running as root (CI); otherwise the start fails with the command to run.

export interface Service {
  url: string;
  port: number;
  stop(): Promise<void>;
  /** Kills the server at once (SIGKILL), as a crash would; `stop` still cleans up. */
  kill(): Promise<void>;
}

const isRoot = process.getuid?.() === 0;

function ensurePackage(pkg: string, found: () => string | undefined): string {
  let binary = found();
  if (binary) return binary;
  if (!isRoot) throw new Error(`${pkg} is not installed: run \`apt-get install -y ${pkg}\` (Debian), then the tests`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  const install = spawnSync('apt-get', ['install', '-y', '-qq', pkg], { stdio: 'inherit', env });
  binary = found();
  if (install.status !== 0 || !binary) throw new Error(`apt-get install -y ${pkg} failed (exit ${install.status})`);
  return binary;
}

function postgresBin(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(path.join(root, v, 'bin', 'postgres')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? path.join(root, versions[0], 'bin') : undefined;
}

function redisBin(): string | undefined {
  return existsSync('/usr/bin/redis-server') ? '/usr/bin/redis-server' : undefined;
}

export { freePort };

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

interface Spawned {
  child: ChildProcess;
  output: () => string;
  exited: Promise<void>;
}

function launch(command: string, args: string[], user?: { uid: number; gid: number }): Spawned {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...user });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => {
    output += d.toString();
  });
  child.stderr!.on('data', (d: Buffer) => {
    output += d.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { child, output: () => output, exited };
}

/** Waits until the port accepts connections, or fails with the server's output when it exits first. */
async function ready(spawned: Spawned, port: number, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (spawned.child.exitCode !== null || spawned.child.signalCode !== null) {
      throw new Error(`${what} exited before accepting connections:\n${spawned.output()}`);
    }
    if (await canConnect(port)) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  spawned.child.kill('SIGKILL');
  throw new Error(`${what} did not accept connections on port ${port} in ${timeoutMs} ms:\n${spawned.output()}`);
}

async function terminate(spawned: Spawned, signal: NodeJS.Signals): Promise<void> {
  if (spawned.child.exitCode === null && spawned.child.signalCode === null) spawned.child.kill(signal);
  await spawned.exited;
}

/** The `postgres` user's ids when we are root (PostgreSQL refuses to run as root), else nothing to switch to. */
function postgresUser(): { uid: number; gid: number } | undefined {
  if (!isRoot) return undefined;
  const uid = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (uid.status !== 0) throw new Error('the postgresql package did not create the `postgres` user');
  return { uid: Number(uid.stdout), gid: Number(gid.stdout) };
}

/** Debian's PostgreSQL in a fresh cluster (trust auth on loopback), superuser `postgres`. */
export async function startPostgres(): Promise<Service> {
  const bin = ensurePackage('postgresql', postgresBin);
  // Under /tmp, not the caller's home: the `postgres` user must reach the directory.
  const dir = mkdtempSync(path.join(os.tmpdir(), 'b24-services-pg-'));
  chmodSync(dir, 0o700);
  const user = postgresUser();
  if (user) chownSync(dir, user.uid, user.gid);
  const data = path.join(dir, 'data');
  const init = spawnSync(
    path.join(bin, 'initdb'),
    ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--no-sync'],
    { encoding: 'utf8', cwd: dir, ...user },
  );
  if (init.status !== 0) throw new Error(`initdb failed:\n${init.stdout}${init.stderr}`);
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const args = [
      '-D',
      data,
      '-p',
      String(port),
      '-k',
      dir,
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'fsync=off',
      '-c',
      'max_connections=200',
    ];
    const spawned = launch(path.join(bin, 'postgres'), args, user);
    try {
      await ready(spawned, port, 'PostgreSQL');
    } catch (error) {
      await terminate(spawned, 'SIGKILL');
      if (attempt < 3 && /could not bind|already in use/i.test(String(error))) continue;
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
    // SIGINT is PostgreSQL's fast shutdown.
    return service(`postgres://postgres@127.0.0.1:${port}/postgres`, port, spawned, dir, 'SIGINT');
  }
}

/** Debian's redis-server with no persistence, on a free loopback port (or `fixedPort`, to bring one back). */
export async function startRedis(fixedPort?: number): Promise<Service> {
  const bin = ensurePackage('redis-server', redisBin);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'b24-services-redis-'));
  for (let attempt = 0; ; attempt++) {
    const port = fixedPort ?? (await freePort());
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir];
    const spawned = launch(bin, args);
    try {
      await ready(spawned, port, 'Redis');
    } catch (error) {
      await terminate(spawned, 'SIGKILL');
      if (attempt < 3 && /address already in use/i.test(String(error))) continue;
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
    return service(`redis://127.0.0.1:${port}`, port, spawned, dir, 'SIGTERM');
  }
}

function service(url: string, port: number, spawned: Spawned, dir: string, signal: NodeJS.Signals): Service {
  return {
    url,
    port,
    async stop() {
      await terminate(spawned, signal);
      rmSync(dir, { recursive: true, force: true });
    },
    async kill() {
      await terminate(spawned, 'SIGKILL');
    },
  };
}
