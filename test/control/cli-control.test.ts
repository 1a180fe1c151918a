import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Database } from '../../src/store/db.ts';
import { testDatabase } from '../helpers/harness.ts';
import { runCliProcess, type ServerProcess, startServerProcess } from '../helpers/processes.ts';

describe('CLI control verbs: clock, fault, requests, reset, say', () => {
  let db: Database;
  let dataDir: string;
  let env: Record<string, string>;
  let server: ServerProcess;
  before(async () => {
    db = await testDatabase();
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'b24-cli-control-'));
    env = { DATABASE_URL: db.url, B24_DATA_DIR: dataDir };
    server = await startServerProcess(env);
  });
  after(async () => {
    await server?.stop();
    await db.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('drives the running server and prints its JSON', async () => {
    const frozen = await runCliProcess(['clock', 'freeze'], env);
    assert.equal(frozen.code, 0, frozen.stderr);
    assert.equal(frozen.json.frozen, true);
    const moved = await runCliProcess(['clock', 'advance', '--seconds', '60'], env);
    assert.equal(moved.json.now, frozen.json.now + 60_000);
    const fault = await runCliProcess(['fault', 'add', '--method', 'user.*', '--error', 'QUERY_LIMIT_EXCEEDED'], env);
    assert.equal(fault.code, 0, fault.stderr);
    assert.equal((await runCliProcess(['fault', 'list'], env)).json.items[0].id, fault.json.id);
    const refused = await runCliProcess(['fault', 'add', '--error', 'NOPE'], env);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /INVALID_REQUEST: error NOPE is no error code/);
    const person = await runCliProcess(['user', 'add', '--name', 'Pat'], env);
    const said = await runCliProcess(
      ['say', '--from', String(person.json.id), '--dialog', '1', '--message', 'hi'],
      env,
    );
    assert.equal(said.code, 0, said.stderr);
    assert.equal(typeof said.json.messageId, 'number');
    const seen = await runCliProcess(['requests', '--kind', 'pull', '--limit', '1'], env);
    assert.equal(seen.json.items.length, 1);
    const reset = await runCliProcess(['reset'], env);
    assert.equal(reset.code, 0, reset.stderr);
    assert.equal((await runCliProcess(['clock', 'show'], env)).json.frozen, false);
    assert.deepEqual((await runCliProcess(['fault', 'list'], env)).json.items, []);
  });
});
