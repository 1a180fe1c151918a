import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readlinkSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const asRoot = process.getuid?.() === 0;

/** The parent's environment without what would point a child at our store or join its output to our run. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith('B24_') || key === 'NODE_TEST_CONTEXT') delete env[key];
  delete env.DATABASE_URL;
  delete env.PORT;
  return { ...env, ...extra };
}

/**
 * Issue 11, defect 0: as root, a project in a directory the `postgres` user cannot enter (mode 0700, as
 * `mktemp -d` makes it) could not start PostgreSQL (`spawn …/initdb EACCES`). The project is copied there, its
 * node_modules as hard links (the paths are what counts), and both the suite's start-up and `npm start` run in it.
 */
describe('defect 0: as root, in a directory the postgres user cannot enter', {
  skip: !asRoot && 'only root runs PostgreSQL as another user',
}, () => {
  let closed: string;
  let project: string;
  before(() => {
    // Beside the project when the temporary directory is another file system: hard links cannot cross one.
    const parent = statSync(os.tmpdir()).dev === statSync(ROOT).dev ? os.tmpdir() : ROOT;
    closed = mkdtempSync(path.join(parent, '.b24-closed-'));
    assert.equal(statSync(closed).mode & 0o777, 0o700);
    project = path.join(closed, 'p');
    execFileSync('mkdir', [project]);
    for (const entry of readdirSync(ROOT)) {
      if (['.git', 'data', 'test-results'].includes(entry) || entry.startsWith('.b24-closed-')) continue;
      execFileSync('cp', [entry === 'node_modules' ? '-al' : '-a', path.join(ROOT, entry), project]);
    }
  });
  after(() => {
    // A cluster the server placed outside the closed directory goes with it.
    try {
      rmSync(path.dirname(readlinkSync(path.join(project, 'data', 'pg'))), { recursive: true, force: true });
    } catch {}
    rmSync(closed, { recursive: true, force: true });
  });

  it('the suite starts its PostgreSQL and runs a test file (node test/run.mjs <file>)', async () => {
    const { code, output } = await run(['test/run.mjs', 'test/methods/app.info.test.ts'], () => false);
    assert.equal(code, 0, output);
    assert.match(output, /# fail 0/);
    assert.doesNotMatch(output, /EACCES/);
  });

  it('the server starts on ./data (npm start) and stops cleanly on SIGTERM', async () => {
    const { code, output } = await run(['bin/b24-local.mjs', 'serve'], (out, child) => {
      if (!/listening on http/.test(out)) return false;
      child.kill('SIGTERM');
      return true;
    });
    assert.match(output, /listening on http:\/\/127\.0\.0\.1:\d+/);
    assert.equal(code, 0, output);
  });

  /** Runs node with `args` in the copied project; `seen` may act on the output so far (true once it did). */
  function run(
    args: string[],
    seen: (output: string, child: ReturnType<typeof spawn>) => boolean,
  ): Promise<{ code: number | string; output: string }> {
    const child = spawn(process.execPath, args, { cwd: project, env: cleanEnv({ PORT: '0', LOG_LEVEL: 'warn' }) });
    let output = '';
    let acted = false;
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      if (!acted) acted = seen(output, child);
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    return new Promise((resolve) =>
      child.once('close', (code, signal) => resolve({ code: code ?? signal ?? -1, output })),
    );
  }
});
