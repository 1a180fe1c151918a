import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startServerProcess } from '../helpers/processes.ts';

// The package as a user gets it: `npm pack`, then the tarball installed without development dependencies in an
// empty folder, then `npx b24-local`. Nothing of this checkout (no tsx, no esbuild, no sources) is used.
const root = path.resolve(import.meta.dirname, '../..');

// Installing fetches (from npm's cache when it has them): minutes on a busy machine.
const SLOW = { timeout: 600_000 };

describe('the packed package, installed with --omit=dev', SLOW, () => {
  let dir: string;
  let engineWarnings: string[] = [];
  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'b24-pack-'));
    chmodSync(dir, 0o755); // PostgreSQL runs as `postgres` when the tests run as root
    // The build the suite made when it started: `prepare` would rebuild dist/, removing dist/bundle/ under the
    // servers that test files running beside this one start.
    execFileSync('npm', ['pack', '--silent', '--ignore-scripts', '--pack-destination', dir], {
      cwd: root,
      stdio: 'pipe',
    });
    const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'));
    assert.ok(tarball, 'npm pack made no tarball');
    writeFileSync(path.join(dir, 'package.json'), '{"name":"pack-probe","private":true}\n');
    const install = spawnSync(
      'npm',
      ['install', '--omit=dev', '--no-audit', '--no-fund', '--prefer-offline', `./${tarball}`],
      { cwd: dir, encoding: 'utf8' },
    );
    assert.equal(install.status, 0, install.stderr);
    engineWarnings = install.stderr.split('\n').filter((line) => line.startsWith('npm warn EBADENGINE'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const npx = (...args: string[]) =>
    spawnSync('npx', ['--no-install', 'b24-local', ...args], { cwd: dir, encoding: 'utf8' });

  // On the oldest Node the package supports, too: a dependency that declares a newer one (EBADENGINE) is pinned.
  it('installs without an engine warning', () => {
    assert.deepEqual(engineWarnings, []);
  });

  it('has no development tools installed', () => {
    for (const tool of ['tsx', 'esbuild', 'typescript']) {
      assert.equal(spawnSync('node', ['-e', `import('${tool}')`], { cwd: dir }).status, 1, `${tool} is installed`);
    }
  });

  it('answers --version and --help', () => {
    const version = npx('--version');
    assert.equal(version.status, 0, version.stderr);
    assert.match(version.stdout, /^\d+\.\d+\.\d+/);
    const help = npx('--help');
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, /Usage: b24-local/);
  });

  it('starts a server that answers REST and serves the web bundle', SLOW, async () => {
    const server = await startServerProcess(
      { B24_DATA_DIR: path.join(dir, 'data'), B24_WEBHOOK: '1:packprobe' },
      120_000,
      { bin: path.join(dir, 'node_modules/.bin/b24-local'), cwd: dir },
    );
    try {
      const time = await fetch(new URL('/rest/1/packprobe/server.time', server.url)).then((r) => r.json());
      assert.match(time.result, /^\d{4}-\d\d-\d\dT/);
      const page = await fetch(server.url).then((r) => r.text());
      const script = /src="([^"]+\.js[^"]*)"/.exec(page)?.[1];
      assert.ok(script, 'the page names its script');
      const js = await fetch(new URL(script, server.url));
      assert.equal(js.status, 200);
    } finally {
      assert.equal(await server.stop(), 0);
    }
  });
});
