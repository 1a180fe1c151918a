import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, nowMs, ROOT, WEBHOOK_TOKEN } from './processes.ts';

// Timing a process from spawn: to its first REST answer (a server) or to its exit (a CLI command).

/** `node -e` of an empty node:http server on PORT: the floor of any server's start. */
export const BARE_SERVER =
  "require('http').createServer((q, s) => s.end('{}')).listen(Number(process.env.PORT), '127.0.0.1')";

/** `b24-local serve` on `dataDir`, from spawn to its first `server.time` answer; `nodeArgs` e.g. `--cpu-prof`. */
export async function timeB24(dataDir: string, nodeArgs: string[] = []): Promise<number> {
  return timeToAnswer(
    [...nodeArgs, 'bin/b24-local.mjs', 'serve'],
    { B24_DATA_DIR: dataDir, B24_WEBHOOK: `1:${WEBHOOK_TOKEN}`, LOG_LEVEL: 'silent', DATABASE_URL: '' },
    `/rest/1/${WEBHOOK_TOKEN}/server.time`,
    /listening on/,
  );
}

/**
 * Spawns `node <args>` on a free port and polls `path` until it answers 200 (or the process exits); ms from spawn.
 * Stops the process once it has printed `ready`.
 */
export async function timeToAnswer(
  args: string[],
  env: NodeJS.ProcessEnv,
  path: string,
  ready?: RegExp,
): Promise<number> {
  const port = await freePort();
  const start = nowMs();
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env, PORT: String(port) } });
  let output = '';
  child.stdout.on('data', (c) => {
    output += c;
  });
  child.stderr.on('data', (c) => {
    output += c;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode} before answering:\n${output}`);
      try {
        const res = await fetch(`http://127.0.0.1:${port}${path}`, { method: 'POST' });
        await res.arrayBuffer();
        if (res.status === 200) return nowMs() - start;
      } catch {}
      await sleep(5);
    }
  } finally {
    while (ready && !ready.test(output) && child.exitCode === null) await sleep(10);
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(killer);
  }
}

/** `node <args>` from spawn to its exit (which must be 0), ms. */
export async function timeToExit(args: string[], env: NodeJS.ProcessEnv = {}): Promise<number> {
  const start = nowMs();
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: 'pipe' });
  let output = '';
  child.stdout.on('data', (c) => {
    output += c;
  });
  child.stderr.on('data', (c) => {
    output += c;
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`node ${args.join(' ')} exited with ${code}:\n${output}`);
  return nowMs() - start;
}
