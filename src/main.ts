import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createApp } from './app.ts';
import { bootstrap } from './bootstrap.ts';
import { type Config, loadConfig } from './config.ts';
import { secret } from './domain/ids.ts';
import { features } from './features.ts';
import { openStore } from './store/open.ts';

/** `npm start`: config → store → app → listen; prints where to point a bot; stops cleanly on SIGINT/SIGTERM. */
export async function serve(config: Config): Promise<() => Promise<void>> {
  const started = performance.now();
  const store = await openStore(config);
  const adminToken = secret(16);
  const app = await createApp({ config, db: store.db, https: undefined }, features({ adminToken }));
  const { webhook } = await bootstrap(config, app.domain);
  const base = await app.listen();
  const hook = webhook ?? (await defaultWebhook(app.domain));
  await writeFile(
    path.join(config.dataDir, 'server.json'),
    JSON.stringify({ url: base, pid: process.pid, adminToken }, null, 2),
    { mode: 0o600 },
  );
  const ms = Math.round(performance.now() - started);
  process.stdout.write(
    [
      `b24-local is listening on ${base} (started in ${ms} ms, data in ${config.databaseUrl ? 'DATABASE_URL' : config.dataDir})`,
      `  web messenger: ${base}/`,
      `  webhook URL:   ${base}/rest/${hook.user_id}/${hook.token}/`,
      `  try:          curl '${base}/rest/${hook.user_id}/${hook.token}/user.current'`,
      '',
    ].join('\n'),
  );
  let closing: Promise<void> | undefined;
  return () =>
    (closing ??= (async () => {
      await app.close();
      await store.close();
    })());
}

/** Without B24_WEBHOOK, the administrator gets one all-scopes webhook that survives restarts. */
async function defaultWebhook(domain: import('./domain/index.ts').Domain) {
  const existing = (await domain.identities.listWebhooks()).find((w) => w.title === 'default');
  return existing ?? domain.identities.createWebhook(1, [], secret(8), 'default');
}

/** Entry of `b24-local serve` / `npm start`. */
export function runFromCli(argv: string[] = process.argv.slice(2)): void {
  const config = loadConfig(argv);
  serve(config).then(
    (stop) => {
      const shutdown = () => {
        stop().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once('SIGINT', shutdown);
      process.once('SIGTERM', shutdown);
    },
    (error) => {
      process.stderr.write(`b24-local failed to start: ${error instanceof Error ? error.stack : error}\n`);
      process.exit(1);
    },
  );
}
