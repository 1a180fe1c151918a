import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { alive, runCliProcess, type ServerProcess, startServerProcess } from '../helpers/processes.ts';

/**
 * The real server on the embedded store, stopped and started on the same data directory: a clean stop
 * (SIGTERM), then a crash (SIGKILL, which leaves PostgreSQL running as an orphan).
 */
describe('restart durability on the embedded store', () => {
  let dataDir: string;
  let env: Record<string, string>;
  let server: ServerProcess | undefined;
  const postmaster = async () =>
    Number((await readFile(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8')).split('\n')[0]);

  // Created before the first stop, checked after each start.
  let userId: number;
  let clientId: string;
  let clientSecret: string;
  let refreshToken: string;
  let accessToken: string;
  let botId: number;

  before(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'b24-restart-'));
    await chmod(dataDir, 0o755); // as root, PostgreSQL (user postgres) must reach <dataDir>/pg
    env = { B24_DATA_DIR: dataDir, B24_LIMITS: 'off' };
  });
  after(async () => {
    await server?.stop();
    // A failed test must not leave its PostgreSQL behind.
    const pid = await postmaster().catch(() => 0);
    if (pid && alive(pid)) process.kill(pid, 'SIGINT');
    for (let i = 0; i < 100 && pid && alive(pid); i++) await new Promise((r) => setTimeout(r, 50));
    await rm(dataDir, { recursive: true, force: true });
  });

  const rest = async (url: string, params: Record<string, unknown> = {}) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(params),
    });
    return { status: res.status, body: await res.json() };
  };

  /** Everything created before the first stop is there and works, against the server now running. */
  async function assertAllThere(label: string) {
    const base = server!.url;
    const users = await runCliProcess(['user', 'list'], env);
    assert.ok(
      users.json.some((u: { id: number; login: string }) => u.id === userId && u.login === 'dora@example.com'),
      label,
    );
    assert.equal((await rest(`${base}/rest/${userId}/durablehook/server.time`)).status, 200, `${label}: webhook`);
    assert.equal((await rest(`${base}/rest/server.time`, { auth: accessToken })).status, 200, `${label}: access token`);
    const bots = await runCliProcess(['bot', 'list'], env);
    assert.ok(
      bots.json.some((b: { id: number; code: string }) => b.id === botId && b.code === 'durable_bot'),
      `${label}: bot`,
    );
    const renewed = await fetch(
      `${base}/oauth/token/?${new URLSearchParams({
        grant_type: 'refresh_token',
        client_id: clientId,
        client_secret: clientSecret,
        refresh_token: refreshToken,
      })}`,
    );
    assert.equal(renewed.status, 200, `${label}: refresh token`);
    const grant = await renewed.json();
    refreshToken = grant.refresh_token;
    accessToken = grant.access_token;
  }

  it('first start prints the base URL, the web messenger URL and a ready webhook URL', async () => {
    server = await startServerProcess(env);
    const out = server.stdout();
    assert.match(out, /^b24-local is listening on http:\/\/127\.0\.0\.1:\d+ /);
    assert.ok(out.includes(`  web messenger: ${server.url}/`), out);
    const hook = /webhook URL: +(\S+)/.exec(out)![1];
    assert.equal((await rest(`${hook}server.time`)).status, 200);
    assert.ok(existsSync(path.join(dataDir, 'server.json')));
  });

  it('creates a user, a webhook, an app with a token (CLI) and a bot (REST)', async () => {
    const user = await runCliProcess(
      ['user', 'add', '--name', 'Dora', '--email', 'dora@example.com', '--password', 'pw'],
      env,
    );
    assert.equal(user.code, 0, user.stderr);
    userId = user.json.id;
    const hook = await runCliProcess(['webhook', 'add', '--user', String(userId), '--token', 'durablehook'], env);
    assert.equal(hook.code, 0, hook.stderr);
    const app = await runCliProcess(['app', 'add', '--client-id', 'local.durable.app', '--scopes', 'imbot,user'], env);
    assert.equal(app.code, 0, app.stderr);
    clientId = app.json.client_id;
    clientSecret = app.json.client_secret;
    const token = await runCliProcess(['token', '--client-id', clientId, '--user', String(userId)], env);
    assert.equal(token.code, 0, token.stderr);
    accessToken = token.json.access_token;
    refreshToken = token.json.refresh_token;
    const reg = await rest(`${token.json.client_endpoint}imbot.register`, {
      auth: accessToken,
      CODE: 'durable_bot',
      EVENT_HANDLER: 'http://127.0.0.1:9/events',
      PROPERTIES: { NAME: 'Durable' },
    });
    assert.equal(reg.status, 200, JSON.stringify(reg.body));
    botId = reg.body.result;
  });

  it('SIGTERM stops cleanly (exit 0, PostgreSQL stopped, server.json gone); a restart has everything', async () => {
    const pg = await postmaster();
    assert.equal(await server!.stop('SIGTERM'), 0);
    assert.ok(!alive(pg), 'PostgreSQL stopped with the server');
    assert.ok(!existsSync(path.join(dataDir, 'server.json')));
    server = await startServerProcess(env);
    await assertAllThere('after SIGTERM');
  });

  it('SIGKILL loses no acknowledged write; the next start stops the orphaned PostgreSQL and has everything', async () => {
    const late = await runCliProcess(['webhook', 'add', '--user', String(userId), '--token', 'lastwrite'], env);
    assert.equal(late.code, 0, late.stderr);
    const orphan = await postmaster();
    assert.equal(await server!.stop('SIGKILL'), 'SIGKILL');
    assert.ok(alive(orphan), 'PostgreSQL outlives a killed server');

    server = await startServerProcess(env);
    assert.ok(!alive(orphan), 'the orphan was stopped');
    assert.notEqual(await postmaster(), orphan);
    await assertAllThere('after SIGKILL');
    assert.equal((await rest(`${server.url}/rest/${userId}/lastwrite/server.time`)).status, 200, 'the last write');
  });
});
