import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import type { App } from './app.ts';
import { bootstrap, parseBootstrap } from './bootstrap.ts';
import { type Config, configWarnings, loadConfig } from './config/config.ts';
import { ConfigError } from './config/config-error.ts';
import type { Control } from './control/index.ts';
import type { WebhookRow } from './domain/identities.ts';
import { lockDataDir } from './store/data-lock.ts';
import { spawnStore } from './store/open.ts';
import { emptyStore } from './store/tables.ts';
import type { LocalTls } from './tls/local-ca.ts';
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
 * config → data-directory lock → port check → store → app → bootstrap (env, fixtures) → listen. Everything the start
 * state holds exists before the server listens, which is when the control API takes the snapshot `reset` returns to.
 * `signal` (SIGINT/SIGTERM during start-up) stops it after the step under way, undoing what was started.
 */
export async function start(config: Config, signal?: AbortSignal): Promise<Started> {
  parseBootstrap(config); // a bad B24_WEBHOOK / B24_APP fails before the store starts
  // YAML and the certificate code load only when asked for (start-up time, issue 15).
  const fixtureCode = config.fixtures ? await import('./fixtures.ts') : undefined;
  const fixtures = config.fixtures ? await fixtureCode?.readFixtures(config.fixtures) : undefined;
  // Before the store: a second start on a running server's data directory names that server and touches nothing.
  const lock = await lockDataDir(config.dataDir, 'serve');
  const undo: (() => Promise<void>)[] = [() => lock.release()];
  try {
    await portAvailable(config);
    signal?.throwIfAborted();
    // PostgreSQL starts in its own process while the app's modules (Fastify, the method registry) load and the app
    // is built; its queries wait in the store for the migrations check (docs/decisions.md "Performance").
    const store = await spawnStore(config);
    undo.unshift(() => store.close());
    const tls = config.tls
      ? await (await import('./tls/local-ca.ts')).localCertificates(config.dataDir, tlsHosts(config))
      : undefined;
    signal?.throwIfAborted();
    const adminToken = secret(16);
    let control: Control | undefined;
    const app = await (async () => {
      const { createApp, features } = await loadAppCode();
      if (fixtures) await emptyStore(store.db);
      return createApp(
        { config, db: store.db, https: tls && { key: tls.key, cert: tls.cert } },
        features({ adminToken, control: config.control, exposeControl: (c) => (control = c) }),
      );
    })().catch(async (error) => {
      throw await store.causeOf(error); // the store's error names the cause and the remedy
    });
    undo.unshift(() => app.close());
    const { webhook } = await bootstrap(config, app.domain);
    const hook = webhook ?? (await defaultWebhook(app.domain));
    if (fixtures && fixtureCode) await fixtureCode.loadFixtures(fixtures, app, hook);
    signal?.throwIfAborted();
    const base = await app.listen().catch((error) => {
      throw portError(config, error);
    });
    await lock.setUrl(base);
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
          await app.close();
          await store.close();
          await lock.release();
        })()),
    };
  } catch (error) {
    // Leave no PostgreSQL child and no lock behind when start-up fails or is interrupted half way.
    for (const step of undo) await step().catch(() => {});
    throw error;
  }
}

/** The app and its features, with the method modules loading. */
async function loadAppCode() {
  const [app, { features }] = await Promise.all([import('./app.ts'), import('./features.ts')]);
  app.preloadRegistry().catch(() => {}); // createApp awaits the same promise and reports its failure
  return { createApp: app.createApp, features };
}

/** A taken port is named with the flag that changes it, before any store starts (0: any free port, no check). */
async function portAvailable(config: Config): Promise<void> {
  if (config.port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (error) => reject(portError(config, error)));
    probe.listen({ port: config.port, host: config.host, exclusive: true }, () => probe.close(() => resolve()));
  });
}

function portError(config: Config, error: NodeJS.ErrnoException): Error {
  const where = `port ${config.port} on ${config.host}`;
  if (error.code === 'EADDRINUSE')
    return new ConfigError(`${where} is in use; choose another with --port <n> (or PORT=<n>; 0 takes any free port)`);
  if (error.code === 'EACCES')
    return new ConfigError(`${where} needs privileges; choose a port above 1023 with --port <n> (or PORT=<n>)`);
  if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND')
    return new ConfigError(`HOST=${config.host} is not an address of this machine; use e.g. 127.0.0.1 or 0.0.0.0`);
  return error;
}

/** `npm start`: starts, writes server.json for the CLI, prints where to point a bot; stops cleanly. */
export async function serve(config: Config, signal?: AbortSignal): Promise<() => Promise<void>> {
  const started = performance.now();
  const server = await start(config, signal);
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

/**
 * Entry of `b24-local serve` / `npm start`. Signals are handled from the first moment: during start-up they abort
 * it (everything started is stopped, exit 0), afterwards they stop the server cleanly; repeats are ignored.
 * Resolves once the server listens; a failed start exits.
 */
export function runFromCli(settings: Record<string, string | undefined>): Promise<void> {
  const interrupted = new AbortController();
  let stop: (() => Promise<void>) | undefined;
  let stopping = false;
  const shutdown = () => {
    if (stopping) return;
    stopping = true;
    stop!().then(
      () => process.exit(0),
      (error) => {
        process.stderr.write(`b24-local: stopped with an error: ${error instanceof Error ? error.message : error}\n`);
        process.exit(1);
      },
    );
  };
  for (const name of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(name, () => (stop ? shutdown() : interrupted.abort()));
  }
  const failed: (error: unknown) => never = (error) => {
    if (interrupted.signal.aborted) process.exit(0); // asked to stop while starting: what started is undone
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
  return serve(config, interrupted.signal).then((stopServer) => {
    stop = stopServer;
    if (interrupted.signal.aborted) shutdown(); // the signal came after the last step's check
  }, failed);
}
