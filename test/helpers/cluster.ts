import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { type Service, startPostgres, startRedis } from '../services/services.ts';
import { type ServerProcess, startServerProcess } from './processes.ts';

/** The webhook every node ensures at start (B24_WEBHOOK): user 1, all scopes. */
export const CLUSTER_TOKEN = 'clustertoken';

export interface Node {
  process: ServerProcess;
  url: string;
  dataDir: string;
  /** POSTs JSON to `/rest/1/clustertoken/{method}` (or another webhook base). */
  rest(method: string, params?: Record<string, unknown>, base?: string): Promise<{ status: number; body: any }>;
  /** The admin API with this process's token. */
  admin(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<{ status: number; body: any }>;
}

/**
 * Several `b24-local serve` processes on one Debian PostgreSQL (test/run.mjs starts one for the multi-node files;
 * a file run alone starts its own) and one Debian Redis of this file's own (tests stop and restart it).
 */
export class Cluster {
  readonly nodes: Node[] = [];
  private pgService?: Service;

  private constructor(
    public redis: Service,
    readonly databaseUrl: string,
    private readonly env: Record<string, string>,
  ) {}

  static async start(count: number, env: Record<string, string> = {}): Promise<Cluster> {
    let pgService: Service | undefined;
    let base = process.env.B24_TEST_SERVICES_PG;
    if (!base) {
      pgService = await startPostgres();
      base = pgService.url;
    }
    const name = `m_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    const redis = await startRedis();
    const cluster = new Cluster(redis, base.replace(/\/postgres$/, `/${name}`), env);
    cluster.pgService = pgService;
    // Started together: the migrations' advisory lock lets exactly one of them migrate the empty database.
    const started = await Promise.allSettled(Array.from({ length: count }, () => cluster.add()));
    const failed = started.find((s) => s.status === 'rejected');
    if (failed) {
      await cluster.close();
      throw failed.reason;
    }
    return cluster;
  }

  /** Starts one more node on the same store and Redis. */
  async add(env: Record<string, string> = {}): Promise<Node> {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'b24-node-'));
    const process = await startServerProcess(
      {
        DATABASE_URL: this.databaseUrl,
        REDIS_URL: this.redis.url,
        B24_DATA_DIR: dataDir,
        B24_WEBHOOK: `1:${CLUSTER_TOKEN}`,
        B24_LIMITS: 'off',
        ...this.env,
        ...env,
      },
      180_000, // three servers starting at once on a loaded CI machine take their time
    );
    const adminToken = JSON.parse(readFileSync(path.join(dataDir, 'server.json'), 'utf8')).adminToken;
    const node: Node = {
      process,
      url: process.url,
      dataDir,
      rest: (method, params = {}, base = `${process.url}/rest/1/${CLUSTER_TOKEN}/`) =>
        call(`${base}${method}`, 'POST', params),
      admin: (method, path, body) =>
        call(`${process.url}/admin/api/${path}`, method, body, { authorization: `Bearer ${adminToken}` }),
    };
    this.nodes.push(node);
    return node;
  }

  /** Kills Redis (SIGKILL, as a crash) and resolves with a function that brings an empty one back on its port. */
  async killRedis(): Promise<() => Promise<void>> {
    await this.redis.kill();
    return async () => {
      await this.redis.stop(); // its temp dir
      this.redis = await startRedis(this.redis.port);
    };
  }

  async close(): Promise<void> {
    await Promise.all(this.nodes.map((n) => n.process.stop('SIGKILL')));
    for (const node of this.nodes) rmSync(node.dataDir, { recursive: true, force: true });
    await this.redis.stop();
    await this.pgService?.stop();
  }
}

async function call(url: string, method: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {}
  return { status: res.status, body: parsed as any };
}
