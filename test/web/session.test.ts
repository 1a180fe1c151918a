import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { adminApi } from '../../src/admin/api.ts';
import { hashPassword } from '../../src/domain/users.ts';
import { WEB_CLIENT_ID, webMessenger } from '../../src/web/index.ts';
import { startTestServer, type TestServer } from '../helpers/harness.ts';

const post = async (url: string, body: unknown) => {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
};

describe('web messenger: page and sign-in', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({
      features: [webMessenger, adminApi({ adminToken: 'admin-token', userTokensOf: WEB_CLIENT_ID })],
    });
    await server.app.domain.users.create({ name: 'Bea', login: 'bea', password_hash: hashPassword('secret') });
  });
  after(() => server.close());

  it('serves the page with its config and a CSP, and the bundle built from web/src', async () => {
    const page = await fetch(`${server.url}/`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-security-policy') ?? '', /script-src 'self'/);
    const html = await page.text();
    const config = JSON.parse(/<script type="application\/json" id="b24-config">(.*?)<\/script>/.exec(html)![1]);
    assert.deepEqual(config, { clientId: WEB_CLIENT_ID, dev: true, typingTtlSec: 15 });
    const js = await fetch(`${server.url}/assets/app.js`);
    assert.match(js.headers.get('content-type') ?? '', /javascript/);
    assert.ok((await js.text()).length > 1000);
    assert.equal((await fetch(`${server.url}/admin`)).status, 200);
    assert.match(html, /<link rel="icon" href="\/favicon.svg" type="image\/svg\+xml">/);
    const icon = await fetch(`${server.url}/favicon.svg`);
    assert.equal(icon.headers.get('content-type'), 'image/svg+xml');
    assert.match(await icon.text(), /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  });

  it('signs in with login and password and answers a token grant of the built-in application', async () => {
    const grant = await post(`${server.url}/web/session`, { login: 'ADMIN', password: 'admin' });
    assert.equal(grant.status, 200);
    assert.equal(grant.body.user_id, 1);
    const me = await server.call('profile', { auth: grant.body.access_token }, `${server.url}/rest/`);
    assert.equal(me.body.result.ID, '1');
    const app = await server.call('app.info', { auth: grant.body.access_token }, `${server.url}/rest/`);
    assert.equal(app.body.result.CODE, WEB_CLIENT_ID);
  });

  it('refuses a wrong password, an unknown login and bots with WRONG_LOGIN', async () => {
    for (const body of [{ login: 'admin', password: 'nope' }, { login: 'ghost', password: 'x' }, {}]) {
      const res = await post(`${server.url}/web/session`, body);
      assert.equal(res.status, 401);
      assert.deepEqual(res.body, { error: 'WRONG_LOGIN', error_description: 'Wrong login or password' });
    }
  });

  it('development mode: lists people (no bots) and signs in by id', async () => {
    const people = await (await fetch(`${server.url}/web/session/users`)).json();
    assert.deepEqual(
      people.map((p: { name: string }) => p.name),
      ['Admin Local', 'Bea'],
    );
    const grant = await post(`${server.url}/web/session`, { user_id: people[1].id });
    assert.equal(grant.body.user_id, people[1].id);
  });

  it('refreshes through the server, which holds the client secret', async () => {
    const grant = await post(`${server.url}/web/session`, { login: 'bea', password: 'secret' });
    const fresh = await post(`${server.url}/web/session/refresh`, { refresh_token: grant.body.refresh_token });
    assert.equal(fresh.status, 200);
    assert.notEqual(fresh.body.access_token, grant.body.access_token);
    const bad = await post(`${server.url}/web/session/refresh`, { refresh_token: 'nope' });
    assert.equal(bad.body.error, 'invalid_grant');
  });

  it("the admin API takes an administrator's web token, not a user's or another app's", async () => {
    const admin = (await post(`${server.url}/web/session`, { login: 'admin', password: 'admin' })).body;
    const bea = (await post(`${server.url}/web/session`, { login: 'bea', password: 'secret' })).body;
    const other = await server.app.domain.identities.createApp({ clientId: 'other.app' });
    const otherToken = (await server.app.domain.identities.issueTokens(other, 1)).access_token;
    const users = (token: string) =>
      fetch(`${server.url}/admin/api/users`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status);
    assert.equal(await users(admin.access_token), 200);
    assert.equal(await users(bea.access_token), 401);
    assert.equal(await users(otherToken), 401);
  });
});

describe('web messenger outside development mode', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ features: [webMessenger], config: { dev: false } });
  });
  after(() => server.close());

  it('has no user picker and no sign-in by id', async () => {
    assert.equal((await fetch(`${server.url}/web/session/users`)).status, 404);
    const res = await post(`${server.url}/web/session`, { user_id: 1 });
    assert.equal(res.body.error, 'WRONG_LOGIN');
  });
});
