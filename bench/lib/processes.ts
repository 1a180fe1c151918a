import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface Running {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Starts `node <args>` and resolves with the first `http://…` URL it prints. */
export function startProcess(args: string[], env: NodeJS.ProcessEnv, pattern = /listening on (\S+)/): Promise<Running> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: 'pipe' });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`no URL after 60 s:\n${out}`)), 60_000);
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      const match = pattern.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve({
          url: match[1],
          child,
          stop: () =>
            new Promise((done) => {
              if (child.exitCode !== null) return done();
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
        });
      }
    });
    child.stderr!.on('data', (chunk) => {
      out += chunk;
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before listening:\n${out}`));
    });
  });
}

/** A b24-local server on its own embedded store in a temporary directory, limits off. */
export async function startB24(extraEnv: NodeJS.ProcessEnv = {}, dataDir?: string) {
  const dir = dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'b24-bench-'));
  const server = await startProcess(['bin/b24-local.mjs', 'serve'], {
    PORT: '0',
    B24_DATA_DIR: dir,
    B24_LIMITS: 'off',
    B24_WEBHOOK: '1:benchtoken',
    LOG_LEVEL: 'silent',
    ...extraEnv,
  });
  return {
    ...server,
    dataDir: dir,
    webhook: `${server.url}/rest/1/benchtoken/`,
    async destroy() {
      await server.stop();
      if (!dataDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function rest(base: string, method: string, params: Record<string, unknown>): Promise<any> {
  const res = await fetch(`${base}${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(params),
  });
  const body = (await res.json()) as any;
  if (body.error) throw new Error(`${method}: ${body.error} ${body.error_description}`);
  return body.result;
}
