import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Logger } from 'pino';
import { type App, createApp, type Feature } from '../../src/app.ts';
import type { Clock } from '../../src/clock.ts';
import { type Config, loadConfig } from '../../src/config/config.ts';
import { connect, type Database } from '../../src/store/db.ts';

/** A fresh database cloned from the migrated template of this test run. */
export async function testDatabase(): Promise<Database> {
  const base = process.env.B24_TEST_PG;
  const template = process.env.B24_TEST_TEMPLATE;
  if (!base || !template) throw new Error('run the tests with `npm test` (it starts the shared PostgreSQL)');
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
  await admin.end();
  return connect(base.replace(/\/postgres$/, `/${name}`));
}

export interface TestServer {
  app: App;
  db: Database;
  url: string;
  /** `{url}/rest/1/{token}/` of an all-scopes webhook of user 1. */
  webhook: string;
  /** POSTs JSON (or GETs with `query`) and returns status and parsed body. */
  call(method: string, params?: Record<string, unknown>, base?: string): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

export async function startTestServer(
  options: { clock?: Clock; config?: Partial<Config>; features?: Feature[]; db?: Database; log?: Logger } = {},
): Promise<TestServer> {
  const db = options.db ?? (await testDatabase());
  // Always port 0, even under a whole Config from loadConfig (PORT unset there means 8080): no test owns a port.
  // Retries on (the server's default is a portal's single attempt), so the delivery suites test them.
  const settings = { LOG_LEVEL: 'silent', B24_DELIVERY_MAX_ATTEMPTS: '20' };
  const config = { ...loadConfig(settings), limits: 'off' as const, ...options.config, port: 0 };
  const app = await createApp({ config, db, clock: options.clock, log: options.log }, options.features ?? []);
  const url = await app.listen();
  const hook = await app.domain.identities.createWebhook(1, [], 'testtoken');
  const webhook = `${url}/rest/1/${hook.token}/`;
  return {
    app,
    db,
    url,
    webhook,
    async call(method, params = {}, base = webhook) {
      const res = await fetch(`${base}${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(params),
      });
      return { status: res.status, body: await res.json() };
    },
    async close() {
      await app.close();
      if (!options.db) await db.close();
    },
  };
}
