#!/usr/bin/env node
// `npm test`: lint, type-check, then every test file with node:test against one shared embedded PostgreSQL
// (each test file creates its own database from a migrated template); test/multinode/ also gets Debian's
// PostgreSQL and Redis (test/services/). Ends with the runner's summary.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register();
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const only = process.argv.slice(2);

function step(name, command, args) {
  process.stdout.write(`# ${name}\n`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    process.stdout.write(`# ${name} failed\n`);
    process.exit(result.status ?? 1);
  }
}

// Server processes in the suite run the compiled package (bin/ → dist/), as users do: build it from these sources.
step('build (tsc → dist, web bundle)', process.execPath, ['scripts/build.mjs']);
if (only.length === 0) {
  step('lint (biome)', 'npx', ['biome', 'check', '.']);
  step('layers and import cycles (dependency-cruiser)', 'npx', [
    'depcruise',
    'src',
    'web/src',
    '--config',
    '.dependency-cruiser.cjs',
  ]);
  step('typecheck (tsc)', 'npx', ['tsc', '-p', '.']);
  step('typecheck web UI (tsc)', 'npx', ['tsc', '-p', 'web']);
}

function testFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(full);
    return entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

const files = only.length ? only.map((f) => path.resolve(f)) : testFiles(path.join(root, 'test')).sort();
const { startEmbedded } = await import('../src/store/embedded.ts');
const { connect } = await import('../src/store/db.ts');
const { migrate } = await import('../src/store/migrate.ts');

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'b24-test-pg-'));
chmodSync(dataDir, 0o755); // PostgreSQL runs as `postgres` when the tests run as root
const server = await startEmbedded(dataDir, { maxConnections: 200 }); // every test file at once
await server.createDatabase('b24_template');
const template = connect(server.url('b24_template'), 1);
await migrate(template);
await template.close();

// The multi-node suite runs on Debian's PostgreSQL (and Redis, which each of its files starts for itself):
// started here only when such a file is selected, so the other suites need nothing but the embedded store.
const multiNode = files.some((f) => f.includes(`${path.sep}multinode${path.sep}`));
const { startPostgres } = multiNode ? await import('./services/services.ts') : {};
const services = multiNode ? await startPostgres() : undefined;

const child = spawn(
  process.execPath,
  [
    '--import',
    'tsx',
    '--test',
    '--test-concurrency=2',
    `--test-timeout=${process.env.B24_TEST_TIMEOUT ?? 600000}`,
    ...files,
  ],
  {
    cwd: root,
    stdio: 'inherit',
    env: {
      ...process.env,
      B24_TEST_PG: server.url('postgres'),
      B24_TEST_TEMPLATE: 'b24_template',
      ...(services ? { B24_TEST_SERVICES_PG: services.url } : {}),
    },
  },
);
// PostgreSQL runs in its own process group, out of reach of a terminal's Ctrl-C: stop it ourselves.
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => child.kill(signal));
const code = await new Promise((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
await services?.stop();
await server.stop();
rmSync(dataDir, { recursive: true, force: true });
process.exit(code);
