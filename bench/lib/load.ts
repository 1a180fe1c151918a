import { spawn } from 'node:child_process';
import path from 'node:path';
import { ROOT } from './processes.ts';

export interface LoadResult {
  /** Mean requests per second. */
  rps: number;
  requests: number;
  /** Latency percentiles, ms. */
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

export interface LoadRequest {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
}

/** `connections` keep-alive clients for `seconds`, from a separate autocannon process. */
export function load(request: LoadRequest, connections: number, seconds: number): Promise<LoadResult> {
  return run({ ...request, method: request.method ?? 'POST', connections, duration: seconds });
}

/**
 * `connections` clients sending `requests` requests in all, however long that takes: a warm-up that ends when the
 * server has done the same work (its compiler and heap settled), whether the machine is quiet or busy.
 */
export function loadCount(request: LoadRequest, connections: number, requests: number): Promise<LoadResult> {
  return run({ ...request, method: request.method ?? 'POST', connections, amount: requests });
}

function run(options: LoadRequest & { connections: number; duration?: number; amount?: number }): Promise<LoadResult> {
  const child = spawn(
    process.execPath,
    [path.join(ROOT, 'bench/clients/load-generator.mjs'), JSON.stringify(options)],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk) => {
    out += chunk;
  });
  child.stderr.on('data', (chunk) => {
    err += chunk;
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`load generator exited with ${code}: ${err}`));
      resolve(JSON.parse(out) as LoadResult);
    });
  });
}

export function describeLoad(r: LoadResult): string {
  const failures = r.errors || r.non2xx ? ` (${r.errors} errors, ${r.non2xx} non-2xx)` : '';
  return `${Math.round(r.rps)} req/s, p99 ${r.p99} ms${failures}`;
}
