import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Database } from '../../src/store/db.ts';
import { testDatabase } from '../helpers/harness.ts';
import { runCliProcess, type ServerProcess, startServerProcess } from '../helpers/processes.ts';

const SCRIPT = fileURLToPath(new URL('./seed-examples.mjs', import.meta.url));

/** The shared conformance script against the real server process, webhook and OAuth examples both. */
describe('conformance: seed examples (imbot.chat.sendTyping reference page)', () => {
  let db: Database;
  let dataDir: string;
  let server: ServerProcess;
  const env: Record<string, string> = {};
  before(async () => {
    db = await testDatabase();
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'b24-conformance-'));
    Object.assign(env, { DATABASE_URL: db.url, B24_DATA_DIR: dataDir });
    server = await startServerProcess({ ...env, B24_WEBHOOK: '1:conformance', B24_LIMITS: 'off' });
  });
  after(async () => {
    await server?.stop();
    await db.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('prints "N passed, 0 failed"', async () => {
    const app = await runCliProcess(['app', 'add', '--scopes', 'imbot,im,user'], env);
    assert.equal(app.code, 0, app.stderr);
    const token = await runCliProcess(['token', '--client-id', app.json.client_id, '--user', '1'], env);
    assert.equal(token.code, 0, token.stderr);

    const child = spawn(process.execPath, [SCRIPT], {
      env: {
        PATH: process.env.PATH,
        B24_WEBHOOK_URL: `${server.url}/rest/1/conformance/`,
        B24_REST_URL: token.json.client_endpoint,
        B24_ACCESS_TOKEN: token.json.access_token,
      },
    });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    const code = await new Promise((resolve) => child.once('close', resolve));
    const summary = /(\d+) passed, (\d+) failed/.exec(output);
    assert.ok(summary, output);
    assert.ok(!output.includes('OAuth examples not run'), 'the OAuth examples ran');
    assert.equal(summary[2], '0', output);
    assert.ok(Number(summary[1]) >= 19, output);
    assert.equal(code, 0, output);
  });
});
