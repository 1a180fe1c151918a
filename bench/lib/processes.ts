import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface Running {
  url: string;
  child: ChildProcess;
  /** Everything the process printed so far. */
  output(): string;
  stop(): Promise<void>;
}

/** Starts `node <args>` and resolves with the first `http://…` URL it prints; rejects if it exits first (however long
 * a busy machine takes to start it: no wall-clock bound). */
export function startProcess(args: string[], env: NodeJS.ProcessEnv, pattern = /listening on (\S+)/): Promise<Running> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: 'pipe' });
    let out = '';
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      const match = pattern.exec(out);
      if (match) {
        resolve({
          url: match[1],
          child,
          output: () => out,
          stop: async () => {
            if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
            await exited;
          },
        });
      }
    });
    child.stderr!.on('data', (chunk) => {
      out += chunk;
    });
    child.once('exit', (code) => {
      reject(new Error(`exited with ${code} before listening:\n${out}`));
    });
  });
}

export interface B24Options {
  /** An existing data directory (kept); default: a fresh temporary one, removed by `destroy`. */
  dataDir?: string;
  env?: NodeJS.ProcessEnv;
  /** Extra node flags, e.g. `--cpu-prof`. */
  nodeArgs?: string[];
}

export type B24 = Running & { dataDir: string; webhook: string; destroy(): Promise<void> };

export const WEBHOOK_TOKEN = 'benchtoken';

/** A b24-local server (`bin/b24-local.mjs serve`) on its own embedded store, limits off, quiet. */
export async function startB24(options: B24Options = {}): Promise<B24> {
  const dir = options.dataDir ?? tempDir();
  const server = await startProcess([...(options.nodeArgs ?? []), 'bin/b24-local.mjs', 'serve'], {
    PORT: '0',
    B24_DATA_DIR: dir,
    B24_LIMITS: 'off',
    B24_WEBHOOK: `1:${WEBHOOK_TOKEN}`,
    LOG_LEVEL: 'silent',
    DATABASE_URL: '',
    ...options.env,
  });
  return {
    ...server,
    dataDir: dir,
    webhook: `${server.url}/rest/1/${WEBHOOK_TOKEN}/`,
    async destroy() {
      await server.stop();
      if (!options.dataDir) removeDir(dir);
    },
  };
}

/** A temporary directory PostgreSQL can use in place (it runs as `postgres` when we are root). */
export function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'b24-bench-'));
  chmodSync(dir, 0o755);
  return dir;
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * One REST call with a JSON body; throws on a Bitrix24 error. node:http rather than fetch: fetch gives up when the
 * headers take 300 s, which a 10,000-member imbot.chat.add on a busy machine can take; this waits for the answer.
 */
export function rest(base: string, method: string, params: Record<string, unknown> = {}): Promise<any> {
  const payload = JSON.stringify(params);
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${base}${method}`,
      { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          text += chunk;
        });
        res.on('end', () => {
          try {
            const body = JSON.parse(text);
            if (body.error) reject(new Error(`${method}: ${body.error} ${body.error_description}`));
            else resolve(body.result);
          } catch (error) {
            reject(new Error(`${method}: HTTP ${res.statusCode}: ${text.slice(0, 200)} (${error})`));
          }
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** Resident set size of a process, KiB (Linux). */
export function rssKiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
}

/** CPU time (user + system) a process has used so far, ms (Linux; clock ticks of 10 ms). */
export function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}

/**
 * CPU time of a process and all its children, live and exited, ms (Linux): a PostgreSQL cluster from its postmaster,
 * whose backends come and go.
 */
export function treeCpuMs(pid: number): number {
  const stat = (p: string) => readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1].split(' ');
  const own = stat(String(pid));
  // utime, stime, then cutime, cstime: the children it has reaped.
  let ticks = Number(own[11]) + Number(own[12]) + Number(own[13]) + Number(own[14]);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const child = stat(entry);
      if (Number(child[1]) === pid) ticks += Number(child[11]) + Number(child[12]);
    } catch {} // exited meanwhile: its time is in cutime now
  }
  return (ticks * 1000) / CLOCK_TICKS;
}

/** USER_HZ: Linux reports process times in 1/100 s on every mainstream architecture. */
const CLOCK_TICKS = 100;

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Monotonic milliseconds, comparable between processes of one machine (CLOCK_MONOTONIC). */
export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** `b24-local <args>` as a user runs it; its JSON answer. */
export function cli(args: string[]): Promise<any> {
  const child = spawn(process.execPath, ['bin/b24-local.mjs', ...args], { cwd: ROOT, stdio: 'pipe' });
  let out = '';
  let err = '';
  child.stdout.on('data', (c) => {
    out += c;
  });
  child.stderr.on('data', (c) => {
    err += c;
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`cli ${args[0]}: ${err}`))));
  });
}
