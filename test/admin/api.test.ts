import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { adminApi } from '../../src/admin/api.ts';
import { startTestServer, type TestServer } from '../helpers/harness.ts';

const ADMIN_TOKEN = 'admin-secret-token';

describe('admin API', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ features: [adminApi({ adminToken: ADMIN_TOKEN })] });
  });
  after(() => server.close());

  async function admin(method: string, path: string, body?: unknown, token = ADMIN_TOKEN) {
    const res = await fetch(`${server.url}/admin/api/${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() };
  }
  const rest = async (base: string, method: string, params: Record<string, unknown> = {}) =>
    server.call(method, params, base);

  it('refuses requests without the bearer token, in the Bitrix24 envelope', async () => {
    for (const token of ['', 'wrong']) {
      const res = await admin('GET', 'users', undefined, token);
      assert.equal(res.status, 401);
      assert.deepEqual(Object.keys(res.body), ['error', 'error_description']);
      assert.equal(res.body.error, 'NO_AUTH_FOUND');
    }
  });

  it('status names the serving process', async () => {
    const res = await admin('GET', 'status');
    assert.deepEqual(res.body.result, { url: server.url, pid: process.pid });
  });

  it('creates users with a password; the login defaults to the e-mail and must be unique', async () => {
    const created = await admin('POST', 'users', {
      name: 'Ann',
      last_name: 'Lee',
      email: 'ann@example.com',
      password: 'pw',
      admin: true,
    });
    assert.equal(created.status, 200);
    const ann = created.body.result;
    assert.equal(ann.login, 'ann@example.com');
    assert.equal(ann.is_admin, true);
    assert.equal(ann.password_hash, undefined, 'never echoed');
    const row = await server.app.domain.users.get(ann.id);
    assert.match(row!.password_hash!, /^[0-9a-f]+:[0-9a-f]+$/);
    const list = await admin('GET', 'users');
    assert.deepEqual(
      list.body.result.map((u: { id: number }) => u.id),
      [1, ann.id],
    );
    const again = await admin('POST', 'users', { name: 'Ann2', email: 'ANN@example.com' });
    assert.deepEqual([again.status, again.body.error], [400, 'INVALID_REQUEST']);
    for (const bad of [
      {},
      { name: '' },
      { name: 'X', password: 'pw' },
      { name: 'X', email: 'not-mail' },
      { name: {} },
    ]) {
      const res = await admin('POST', 'users', bad);
      assert.deepEqual([res.status, res.body.error], [400, 'INVALID_REQUEST'], JSON.stringify(bad));
    }
  });

  it('creates webhooks that work at their URL with their scopes, lists and deletes them', async () => {
    const user = (await admin('POST', 'users', { name: 'Hook', last_name: 'Owner' })).body.result;
    const created = await admin('POST', 'webhooks', { user_id: user.id, token: 'myhooktoken', scopes: 'user,imbot' });
    assert.equal(created.status, 200);
    const hook = created.body.result;
    assert.equal(hook.url, `${server.url}/rest/${user.id}/myhooktoken/`);
    assert.deepEqual(hook.scopes, ['user', 'imbot']);
    assert.equal((await rest(hook.url, 'server.time')).status, 200);
    assert.equal((await server.app.domain.identities.webhookCaller(String(user.id), 'myhooktoken')).userId, user.id);

    const narrow = (await admin('POST', 'webhooks', { user_id: user.id, scopes: ['imbot'] })).body.result;
    assert.match(narrow.token, /^[0-9a-f]{16}$/, 'a generated token');
    const refused = await rest(narrow.url, 'user.current');
    assert.deepEqual([refused.status, refused.body.error], [403, 'insufficient_scope']);

    const list = (await admin('GET', 'webhooks')).body.result;
    assert.ok(list.some((w: { id: number }) => w.id === hook.id));
    assert.equal((await admin('DELETE', `webhooks/${hook.id}`)).body.result, true);
    const gone = await rest(hook.url, 'server.time');
    assert.deepEqual([gone.status, gone.body.error], [401, 'NO_AUTH_FOUND']);
    const twice = await admin('DELETE', `webhooks/${hook.id}`);
    assert.deepEqual([twice.status, twice.body.error], [404, 'NOT_FOUND']);
    const notAnId = await admin('DELETE', 'webhooks/abc');
    assert.deepEqual([notAnId.status, notAnId.body.error], [400, 'INVALID_REQUEST']);
  });

  it('validates webhook input', async () => {
    for (const bad of [
      {},
      { user_id: 999999 },
      { user_id: 1, token: 'has/slash' },
      { user_id: 1, scopes: 'Bad Scope' },
      { user_id: 1, scopes: [1] },
    ]) {
      const res = await admin('POST', 'webhooks', bad);
      assert.deepEqual([res.status, res.body.error], [400, 'INVALID_REQUEST'], JSON.stringify(bad));
    }
  });

  it('creates apps with generated credentials, issues tokens for (app, user)', async () => {
    const created = await admin('POST', 'apps', { scopes: ['imbot', 'user'], title: 'My bot' });
    const app = created.body.result;
    assert.match(app.client_id, /^local\.[0-9a-f]{14}\.[0-9a-f]{8}$/);
    assert.match(app.application_token, /^[0-9a-f]{32}$/);
    assert.equal(app.installed, true);
    assert.ok((await admin('GET', 'apps')).body.result.some((a: { id: number }) => a.id === app.id));

    const token = await admin('POST', 'tokens', { client_id: app.client_id, user_id: 1 });
    assert.equal(token.status, 200);
    assert.equal(token.body.result.scope, 'imbot,user');
    assert.equal(token.body.result.user_id, 1);
    const time = await rest(token.body.result.client_endpoint, 'server.time', { auth: token.body.result.access_token });
    assert.equal(time.status, 200);

    const unknown = await admin('POST', 'tokens', { client_id: 'nobody', user_id: 1 });
    assert.deepEqual([unknown.status, unknown.body.error], [401, 'invalid_client']);
    const noUser = await admin('POST', 'tokens', { client_id: app.client_id, user_id: 424242 });
    assert.deepEqual([noUser.status, noUser.body.error], [400, 'INVALID_REQUEST']);
    const badRedirect = await admin('POST', 'apps', { redirect_uri: 'javascript:alert(1)' });
    assert.deepEqual([badRedirect.status, badRedirect.body.error], [400, 'INVALID_REQUEST']);
  });

  it('lists bots with their owning application', async () => {
    const reg = await server.call('imbot.register', {
      CODE: 'adminlisted',
      EVENT_HANDLER: 'http://127.0.0.1:9/h',
      PROPERTIES: { NAME: 'Listed', LAST_NAME: 'Bot' },
      CLIENT_ID: 'x1',
    });
    const bots = (await admin('GET', 'bots')).body.result;
    const bot = bots.find((b: { id: number }) => b.id === reg.body.result);
    assert.equal(bot.code, 'adminlisted');
    assert.equal(bot.name, 'Listed Bot');
    assert.equal(bot.app_key, 'customx1');
  });

  it('answers unreadable bodies with INVALID_REQUEST', async () => {
    for (const body of ['{"name":', '[1,2]']) {
      const res = await admin('POST', 'users', body);
      assert.deepEqual([res.status, res.body.error], [400, 'INVALID_REQUEST'], body);
    }
  });
});
