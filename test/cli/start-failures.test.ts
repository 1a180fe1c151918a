import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rename, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { alive, runCliProcess, type ServerProcess, startServerProcess } from '../helpers/processes.ts';

async function tempDataDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'b24-start-'));
  await chmod(dir, 0o755); // as root, PostgreSQL (user postgres) must reach <dir>/pg
  return dir;
}

/** One line on stderr, nothing on stdout, exit 1: what a user sees when a start cannot work. */
function assertOneLine(result: { code: number; stdout: string; stderr: string }, pattern: RegExp): void {
  assert.equal(result.code, 1, result.stderr);
  assert.equal(result.stdout, '');
  assert.equal(result.stderr.trimEnd().split('\n').length, 1, result.stderr);
  assert.match(result.stderr, pattern);
}

/**
 * Issue 11, defect 1: a second start on the data directory of a running server stopped that server's PostgreSQL
 * (as an "orphan"), and the running server answered 500 from then on. Issue 15 item 3: say so in one line instead.
 */
describe("defect 1: a second start on a running server's data directory", () => {
  let dataDir: string;
  let server: ServerProcess;
  let hook: string;
  let postmaster: number;
  before(async () => {
    dataDir = await tempDataDir();
    server = await startServerProcess({ B24_DATA_DIR: dataDir, B24_LIMITS: 'off' });
    hook = /webhook URL: +(\S+)/.exec(server.stdout())![1];
    postmaster = Number((await readFile(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8')).split('\n')[0]);
  });
  after(async () => {
    await server?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function assertUndisturbed(): Promise<void> {
    assert.ok(alive(postmaster), "the running server's PostgreSQL was not stopped");
    const res = await fetch(`${hook}server.time`);
    assert.equal(res.status, 200, 'the running server still answers');
  }

  it('exits 1 at once with one line naming the running server and its URL, and disturbs nothing', async () => {
    const second = await runCliProcess(['serve', '--port', '0'], { B24_DATA_DIR: dataDir });
    assertOneLine(
      second,
      /^b24-local failed to start: .* is in use by the b24-local server at http:\/\/127\.0\.0\.1:\d+/,
    );
    assert.ok(second.stderr.includes(`at ${server.url} (pid ${server.child.pid})`), second.stderr);
    await assertUndisturbed();
  });

  it('the CLI, not finding the server through server.json, does not open its store either', async () => {
    const serverFile = path.join(dataDir, 'server.json');
    await rename(serverFile, `${serverFile}.aside`);
    try {
      const users = await runCliProcess(['user', 'list'], { B24_DATA_DIR: dataDir });
      assertOneLine(users, /^b24-local: .* is in use by the b24-local server at /);
      assert.ok(users.stderr.includes(server.url), users.stderr);
    } finally {
      await rename(`${serverFile}.aside`, serverFile);
    }
    await assertUndisturbed();
  });
});

/** Issue 15 item 3: start-up failures a user can fix, each in one line naming what to change. */
describe('friendly failures at start', () => {
  let dataDir: string;
  before(async () => {
    dataDir = await tempDataDir();
  });
  after(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('port in use: one line naming the port and the flag, before any store is created', async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as net.AddressInfo).port;
    try {
      const result = await runCliProcess(['serve'], { B24_DATA_DIR: dataDir, PORT: String(port) });
      assertOneLine(
        result,
        new RegExp(`^b24-local failed to start: port ${port} on 127\\.0\\.0\\.1 is in use; .*--port`),
      );
    } finally {
      taken.close();
    }
    assert.ok(!existsSync(path.join(dataDir, 'pg')), 'no store was created');
    assert.ok(!existsSync(path.join(dataDir, 'b24-local.lock')), 'the data directory is free again');
  });

  it('an invalid environment value: one line naming the variable, the value and what is allowed', async () => {
    const result = await runCliProcess(['serve'], { B24_DATA_DIR: dataDir, PORT: 'http' });
    assertOneLine(result, /^b24-local failed to start: PORT=http is not valid: a port number 0-65535/);
    assert.ok(!existsSync(path.join(dataDir, 'pg')), 'no store was created');
  });
});
