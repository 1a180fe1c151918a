import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startServerProcess } from '../helpers/processes.ts';

const BIN = fileURLToPath(new URL('../../bin/b24-local.mjs', import.meta.url));

/** Live processes whose command line names `dir` (a PostgreSQL left running on it). */
function processesOn(dir: string): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(dir);
      } catch {
        return false;
      }
    })
    .map(Number);
}

/**
 * Issue 11, defect 8: SIGTERM during start-up printed raw stacks, once left the process running with its
 * PostgreSQL stopped, and an interrupted first start left password files behind. Signalled at a moment of the
 * start-up (seen on disk), the server stops everything it started and exits 0; the data directory then starts.
 */
describe('defect 8: SIGTERM during start-up', () => {
  const dirs: string[] = [];
  after(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  // [moment, seen on disk when, then start the server again on that directory?] (a start costs much on a busy machine)
  const moments: [string, (dir: string) => boolean, boolean][] = [
    ['while initdb runs', (dir) => existsSync(path.join(dir, 'pg.init')), false],
    [
      'while PostgreSQL starts or the store migrates',
      (dir) => existsSync(path.join(dir, 'pg', 'postmaster.pid')),
      true,
    ],
  ];
  for (const [moment, reached, restart] of moments) {
    it(`${moment}: exit 0, no stack, nothing left running or behind; the directory starts again`, async () => {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'b24-interrupted-'));
      await chmod(dir, 0o755); // as root, PostgreSQL (user postgres) must reach <dir>/pg
      dirs.push(dir);
      const env: NodeJS.ProcessEnv = { ...process.env, B24_DATA_DIR: dir, PORT: '0', LOG_LEVEL: 'warn' };
      delete env.NODE_TEST_CONTEXT;
      delete env.DATABASE_URL;
      const child = spawn(process.execPath, [BIN, 'serve'], { env });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk;
      });
      child.stderr.on('data', (chunk: Buffer) => {
        output += chunk;
      });
      const exited = new Promise<number | string>((resolve) =>
        child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)),
      );
      while (!reached(dir) && child.exitCode === null) await new Promise((r) => setTimeout(r, 5));
      assert.doesNotMatch(output, /listening on/, 'signalled during start-up');
      child.kill('SIGTERM');
      assert.equal(await exited, 0, output);
      assert.doesNotMatch(output, /^\s+at |Error/m, 'no stack trace');
      assert.deepEqual(processesOn(dir), [], 'no PostgreSQL left running');
      const left = readdirSync(dir).filter((name) => name.startsWith('.pg-password-') || name === 'b24-local.lock');
      assert.deepEqual(left, [], 'no password file, no lock');

      assert.ok(
        existsSync(path.join(dir, 'pg', 'PG_VERSION')) && !existsSync(path.join(dir, 'pg.init')),
        'a whole cluster',
      );
      if (!restart) return;
      const server = await startServerProcess({ B24_DATA_DIR: dir });
      assert.equal(await server.stop(), 0);
    });
  }
});
