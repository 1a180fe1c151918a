import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type App, createApp, preloadRegistry } from './app.ts';
import { bootstrap, parseBootstrap } from './bootstrap.ts';
import { type Config, configWarnings, loadConfig } from './config/config.ts';
import { ConfigError } from './config/config-error.ts';
import type { Control } from './control/index.ts';
import type { WebhookRow } from './domain/identities.ts';
import { features } from './features.ts';
import { loadFixtures, readFixtures } from './fixtures.ts';
import { openStore } from './store/open.ts';
import { emptyStore } from './store/tables.ts';
import { type LocalTls, localCertificates } from './tls/local-ca.ts';
import { secret } from './wire/secrets.ts';

/** A running server: what `serve` prints and the in-process API (src/testing.ts) hands out. */
export interface Started {
  app: App;
  base: string;
  adminToken: string;
  /** B24_WEBHOOK's, else the administrator's default webhook. */
  webhook: WebhookRow;
  /** The control API's parts, unless B24_CONTROL is off. */
  control?: Control;
  tls?: LocalTls;
  stop(): Promise<void>;
}

/**
 * config → store → app → bootstrap (env, fixtures) → listen. Everything the start state holds exists before the
 * server listens, which is when the control API takes the snapshot `reset` returns to.
 */
export async function start(config: Config): Promise<Started> {
  parseBootstrap(config); // a bad B24_WEBHOOK / B24_APP fails before the store starts
  const fixtures = config.fixtures ? await readFixtures(config.fixtures) : undefined;
  const tls = config.tls ? await localCertificates(config.dataDir, tlsHosts(config)) : undefined;
  // The method modules load while PostgreSQL starts (docs/decisions.md "Performance"); a failure surfaces in
  // createApp, which awaits the same promise.
  preloadRegistry().catch(() => {});
  const store = await openStore(config);
  if (fixtures) await emptyStore(store.db);
  const adminToken = secret(16);
  let app: App | undefined;
  let control: Control | undefined;
  try {
    app = await createApp(
      { config, db: store.db, https: tls && { key: tls.key, cert: tls.cert } },
      features({ adminToken, control: config.control, exposeControl: (c) => (control = c) }),
    );
    const { webhook } = await bootstrap(config, app.domain);
    const hook = webhook ?? (await defaultWebhook(app.domain));
    if (fixtures) await loadFixtures(fixtures, app, hook);
    const base = await app.listen();
    const running = app;
    let closing: Promise<void> | undefined;
    return {
      app,
      base,
      adminToken,
      webhook: hook,
      control,
      tls,
      stop: () =>
        (closing ??= (async () => {
          await running.close();
          await store.close();
        })()),
    };
  } catch (error) {
    // Leave no PostgreSQL child behind when start-up fails half way.
    await app?.close().catch(() => {});
    await store.close().catch(() => {});
    throw error;
  }
}

/** `npm start`: starts, writes server.json for the CLI, prints where to point a bot; stops cleanly. */
export async function serve(config: Config): Promise<() => Promise<void>> {
  const started = performance.now();
  const server = await start(config);
  const { base, tls, webhook: hook, adminToken } = server;
  const serverFile = path.join(config.dataDir, 'server.json');
  try {
    await mkdir(config.dataDir, { recursive: true }); // with DATABASE_URL nothing else has made it
    await writeFile(
      serverFile,
      JSON.stringify({ url: base, pid: process.pid, adminToken, ...(tls ? { ca: tls.caPath } : {}) }, null, 2),
      { mode: 0o600 },
    );
  } catch (error) {
    await server.stop().catch(() => {});
    throw error;
  }
  const ms = Math.round(performance.now() - started);
  process.stdout.write(
    [
      `b24-local is listening on ${base} (started in ${ms} ms, data in ${config.databaseUrl ? 'DATABASE_URL' : config.dataDir})`,
      `  web messenger: ${base}/`,
      `  webhook URL:   ${base}/rest/${hook.user_id}/${hook.token}/`,
      `  try:          curl${tls ? ` --cacert ${tls.caPath}` : ''} '${base}/rest/${hook.user_id}/${hook.token}/user.current'`,
      ...(tls ? [`  TLS CA:        ${tls.caPath} (trust it: NODE_EXTRA_CA_CERTS=${tls.caPath})`] : []),
      ...(config.control ? [`  control API:   ${base}/_b24local/health`] : []),
      '',
    ].join('\n'),
  );
  for (const warning of configWarnings(config)) process.stderr.write(`b24-local: warning: ${warning}\n`);
  let closing: Promise<void> | undefined;
  return () =>
    (closing ??= (async () => {
      await server.stop();
      await forgetServerFile(serverFile);
    })());
}

/** Without B24_WEBHOOK, the administrator gets one all-scopes webhook that survives restarts. */
async function defaultWebhook(domain: import('./domain/index.ts').Domain) {
  const existing = (await domain.identities.listWebhooks()).find((w) => w.title === 'default');
  return existing ?? domain.identities.createWebhook(1, [], secret(8), 'default');
}

/** Names besides localhost the certificate must cover: a specific HOST and the public URL's host. */
function tlsHosts(config: Config): string[] {
  const hosts = ['0.0.0.0', '::'].includes(config.host) ? [] : [config.host];
  if (config.publicUrl && URL.canParse(config.publicUrl))
    hosts.push(new URL(config.publicUrl).hostname.replace(/^\[|\]$/g, ''));
  return hosts;
}

/** `server.json` tells the CLI a server is running; remove it on a clean stop unless a newer server wrote it. */
async function forgetServerFile(file: string): Promise<void> {
  try {
    if (JSON.parse(await readFile(file, 'utf8')).pid === process.pid) await rm(file, { force: true });
  } catch {}
}

/** Entry of `b24-local serve` / `npm start`. */
export function runFromCli(settings: Record<string, string | undefined>): void {
  const failed: (error: unknown) => never = (error) => {
    const message = error instanceof ConfigError ? error.message : error instanceof Error ? error.stack : error;
    process.stderr.write(`b24-local failed to start: ${message}\n`);
    process.exit(1);
  };
  let config: Config;
  try {
    config = loadConfig(settings);
  } catch (error) {
    failed(error);
  }
  serve(config).then((stop) => {
    const shutdown = () => {
      stop().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, shutdown);
  }, failed);
}
