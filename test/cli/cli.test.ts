import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Database } from '../../src/store/db.ts';
import { testDatabase } from '../helpers/harness.ts';
import { runCliProcess, type ServerProcess, startServerProcess } from '../helpers/processes.ts';

describe('CLI without a running server: straight on the store', () => {
  let db: Database;
  let dataDir: string;
  let env: Record<string, string>;
  before(async () => {
    db = await testDatabase();
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'b24-cli-'));
    env = { DATABASE_URL: db.url, B24_DATA_DIR: dataDir };
  });
  after(async () => {
    await db.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('adds a user, a webhook and an app, issues a token, lists them; JSON on stdout', async () => {
    const user = await runCliProcess(
      ['user', 'add', '--name', 'Ann', '--last-name', 'Lee', '--email', 'ann@example.com', '--password', 'pw'],
      env,
    );
    assert.equal(user.code, 0, user.stderr);
    assert.equal(user.json.name, 'Ann');
    const stored = await db.one<{ login: string; password_hash: string }>('SELECT * FROM users WHERE id = $1', [
      user.json.id,
    ]);
    assert.equal(stored!.login, 'ann@example.com');
    assert.ok(stored!.password_hash);

    const hook = await runCliProcess(
      ['webhook', 'add', '--user', String(user.json.id), '--token', 'clihook', '--scopes', 'imbot,im'],
      env,
    );
    assert.equal(hook.code, 0, hook.stderr);
    assert.equal(hook.json.url, `http://127.0.0.1:8080/rest/${user.json.id}/clihook/`, 'the URL the server would use');
    assert.deepEqual(hook.json.scopes, ['imbot', 'im']);

    const app = await runCliProcess(['app', 'add', '--client-id=local.cli.app', '--scopes', 'imbot'], env);
    assert.equal(app.code, 0, app.stderr);
    assert.equal(app.json.client_id, 'local.cli.app');

    const token = await runCliProcess(['token', '--client-id', 'local.cli.app', '--user', String(user.json.id)], env);
    assert.equal(token.code, 0, token.stderr);
    assert.equal(token.json.user_id, user.json.id);
    assert.equal(token.json.scope, 'imbot');
    assert.equal(token.stdout, `${JSON.stringify(token.json)}\n`, 'one line, as /oauth/token/ sends it');
    assert.deepEqual(Object.keys(token.json), [
      'access_token',
      'client_endpoint',
      'domain',
      'expires',
      'expires_in',
      'member_id',
      'refresh_token',
      'scope',
      'server_endpoint',
      'status',
      'user_id',
    ]);
    const row = await db.one('SELECT * FROM oauth_tokens WHERE access_token = $1', [token.json.access_token]);
    assert.ok(row, 'the token is stored');

    const hooks = await runCliProcess(['webhook', 'list'], env);
    assert.ok(hooks.json.some((w: { token: string }) => w.token === 'clihook'));
    const apps = await runCliProcess(['app', 'list'], env);
    assert.deepEqual(
      apps.json.map((a: { client_id: string }) => a.client_id),
      ['local.cli.app'],
    );
  });

  it('fails with a clear message on stderr and a non-zero exit', async () => {
    const noUser = await runCliProcess(['webhook', 'add', '--user', '4242'], env);
    assert.equal(noUser.code, 1);
    assert.equal(noUser.stdout, '');
    assert.match(noUser.stderr, /^b24-local: INVALID_REQUEST: user 4242 does not exist/);
  });

  it('names the missing flag, not the API field, and exits 2', async () => {
    const noName = await runCliProcess(['user', 'add'], env);
    assert.equal(noName.code, 2);
    assert.match(noName.stderr, /required option '--name <value>' not specified/);
    const noUser = await runCliProcess(['token', '--client-id', 'x'], env);
    assert.equal(noUser.code, 2);
    assert.match(noUser.stderr, /required option '--user <id>' not specified/);
    const noValue = await runCliProcess(['token', '--client-id'], env);
    assert.equal(noValue.code, 2);
    assert.match(noValue.stderr, /option '--client-id <value>' argument missing/);
  });

  it('refuses unknown commands and flags with exit 2, naming them and the nearest valid one', async () => {
    const unknown = await runCliProcess(['usr', 'add'], env);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown command 'usr'\n\(Did you mean user\?\)/);
    const badFlag = await runCliProcess(['app', 'list', '--colour', 'red'], env);
    assert.equal(badFlag.code, 2);
    assert.match(badFlag.stderr, /unknown option '--colour'/);
    const badServeFlag = await runCliProcess(['--prot', '9000'], env);
    assert.equal(badServeFlag.code, 2);
    assert.match(badServeFlag.stderr, /unknown option '--prot'\n\(Did you mean --port\?\)/);
  });

  it('prints help and the version without starting anything', async () => {
    for (const args of [['--help'], ['help'], ['-h']]) {
      const help = await runCliProcess(args, { B24_DATA_DIR: '/nonexistent/never-created' });
      assert.equal(help.code, 0, help.stderr);
      assert.match(help.stdout, /^Usage: b24-local \[options\] \[command\]/);
      assert.match(help.stdout, /serve \[options\]/);
    }
    const userAdd = await runCliProcess(['help', 'user', 'add'], env);
    assert.equal(userAdd.code, 0);
    assert.match(userAdd.stdout, /--login <value> +sign-in name for the web messenger/);
    const serve = await runCliProcess(['serve', '--help'], env);
    assert.equal(serve.code, 0);
    assert.match(serve.stdout, /--port <value> .*\[PORT\]/);
    const version = await runCliProcess(['--version'], env);
    assert.equal(version.code, 0);
    const { version: expected } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    assert.equal(version.stdout.trim(), expected);
  });

  it('takes the store from --data-dir and --database-url as well', async () => {
    const apps = await runCliProcess(['app', 'list', '--data-dir', dataDir, `--database-url=${db.url}`], {});
    assert.equal(apps.code, 0, apps.stderr);
    assert.deepEqual(
      apps.json.map((a: { client_id: string }) => a.client_id),
      ['local.cli.app'],
    );
  });

  it('ignores a server.json whose process is gone', async () => {
    await writeFile(
      path.join(dataDir, 'server.json'),
      JSON.stringify({ url: 'http://127.0.0.1:9', pid: 2 ** 22 + 1, adminToken: 'x' }),
    );
    const users = await runCliProcess(['user', 'list'], env);
    assert.equal(users.code, 0, users.stderr);
    assert.equal(users.json[0].id, 1);
    await rm(path.join(dataDir, 'server.json'));
  });
});

describe('CLI with a running server: through the admin API', () => {
  let db: Database;
  let dataDir: string;
  let env: Record<string, string>;
  let server: ServerProcess;
  before(async () => {
    db = await testDatabase();
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'b24-cli-'));
    // A data directory that does not exist yet: with DATABASE_URL the server still makes it for server.json.
    env = { DATABASE_URL: db.url, B24_DATA_DIR: path.join(dataDir, 'fresh') };
    server = await startServerProcess(env);
  });
  after(async () => {
    await server?.stop();
    await db.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('creates what the running server then serves, with its URLs', async () => {
    const user = await runCliProcess(['user', 'add', '--name', 'Bob', '--admin'], env);
    assert.equal(user.code, 0, user.stderr);
    assert.equal(user.json.is_admin, true);
    const hook = await runCliProcess(['webhook', 'add', '--user', String(user.json.id), '--scopes', 'user'], env);
    assert.equal(hook.code, 0, hook.stderr);
    assert.ok(hook.json.url.startsWith(`${server.url}/rest/${user.json.id}/`), hook.json.url);
    // The server sees it at once: the CLI went through it, not around it.
    const time = await fetch(`${hook.json.url}server.time`);
    assert.equal(time.status, 200);

    const app = await runCliProcess(['app', 'add', '--scopes', 'imbot,user'], env);
    const token = await runCliProcess(['token', '--client-id', app.json.client_id, '--user', '1'], env);
    assert.equal(token.code, 0, token.stderr);
    assert.equal(token.json.client_endpoint, `${server.url}/rest/`);
    const call = await fetch(`${token.json.client_endpoint}server.time?auth=${token.json.access_token}`);
    assert.equal(call.status, 200);

    const deleted = await runCliProcess(['webhook', 'delete', '--id', String(hook.json.id)], env);
    assert.equal(deleted.json, true);
    assert.equal((await fetch(`${hook.json.url}server.time`)).status, 401, 'the server forgot the webhook at once');
  });

  it('reports admin API errors like the offline path', async () => {
    const bad = await runCliProcess(['token', '--client-id', 'nobody', '--user', '1'], env);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /^b24-local: invalid_client: No application with client_id nobody/);
  });
});
