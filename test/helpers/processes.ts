import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// The real executable in a child process: `b24-local serve` and the CLI commands, as a user runs them.

const BIN = fileURLToPath(new URL('../../bin/b24-local.mjs', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The parent's environment minus anything that would point a child at the wrong store or server. */
function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base = { ...process.env };
  for (const key of Object.keys(base)) if (key.startsWith('B24_') && !key.startsWith('B24_TEST_')) delete base[key];
  delete base.DATABASE_URL;
  delete base.PORT;
  delete base.NODE_TEST_CONTEXT; // a child's node:test output must not join ours
  // Retries on (the server's default is a portal's single attempt), so the durability suites test them.
  return { ...base, LOG_LEVEL: 'warn', B24_DELIVERY_MAX_ATTEMPTS: '20', ...env };
}

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  /** Everything the server printed so far. */
  stdout: () => string;
  stderr: () => string;
  /** Sends the signal and resolves with the exit code (or the signal name) once the process is gone. */
  stop(signal?: NodeJS.Signals): Promise<number | string>;
}

/**
 * Starts `b24-local serve` (this checkout's, or an installed `bin`) and resolves when it prints its base URL. Without
 * `B24_DATA_DIR` the server gets a data directory of its own, removed when it exits: the default (`./data`) is
 * locked by one server at a time, even with `DATABASE_URL` (it holds server.json), so two test files starting
 * servers on it at once refused each other ("data directory in use").
 */
export function startServerProcess(
  env: Record<string, string>,
  // A net for a server that never listens, not a time budget: on a busy machine a start takes a minute or more.
  timeoutMs = 300_000,
  { bin = BIN, cwd = ROOT } = {},
): Promise<ServerProcess> {
  const ownDir = env.B24_DATA_DIR ? undefined : mkdtempSync(path.join(os.tmpdir(), 'b24-serve-'));
  const child = spawn(process.execPath, [bin, 'serve'], {
    cwd,
    env: childEnv({ PORT: '0', ...(ownDir && { B24_DATA_DIR: ownDir }), ...env }),
  });
  let out = '';
  let err = '';
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => {
      if (ownDir) rmSync(ownDir, { recursive: true, force: true });
      resolve(code ?? signal ?? 'unknown');
    }),
  );
  const server: ServerProcess = {
    child,
    url: '',
    stdout: () => out,
    stderr: () => err,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start in ${timeoutMs} ms\n${out}\n${err}`));
    }, timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (\S+)/.exec(out);
      if (match && !server.url) {
        clearTimeout(timer);
        server.url = match[1];
        resolve(server);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    exited.then((code) => {
      clearTimeout(timer);
      if (!server.url) reject(new Error(`server exited (${code}) before listening\n${out}\n${err}`));
    });
  });
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON (undefined when it is not). */
  json: any;
}

/** Runs `b24-local <args>` to completion. */
export function runCliProcess(args: string[], env: Record<string, string>): Promise<CliResult> {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: childEnv(env) });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve) => {
    child.once('close', (code) => {
      let json: unknown;
      try {
        json = JSON.parse(stdout);
      } catch {}
      resolve({ code: code ?? -1, stdout, stderr, json });
    });
  });
}

/** Whether a process with this pid runs (e.g. a PostgreSQL a test must not have disturbed, or left behind). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
