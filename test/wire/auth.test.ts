import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../../src/clock.ts';
import { startTestServer, type TestServer } from '../helpers/harness.ts';

// Credential failures (b24restdocs _includes/system-errors.md, settings/oauth/auto-renewal.md): SDKs refresh their
// token only on `expired_token`, so each failure must carry its own code and status.
describe('wire: authentication errors', () => {
  let server: TestServer;
  const clock = new ManualClock();
  let token: string;

  before(async () => {
    server = await startTestServer({ clock });
    const app = await server.app.domain.identities.createApp({ clientId: 'local.auth.1', scopes: ['user'] });
    token = (await server.app.domain.identities.issueTokens(app, 1)).access_token;
  });
  after(() => server.close());

  const call = async (path: string, init?: RequestInit) => {
    const res = await fetch(`${server.url}${path}`, init);
    return { status: res.status, body: await res.json() };
  };

  it('no credentials → 401 NO_AUTH_FOUND', async () => {
    for (const path of ['/rest/user.current', '/rest/user.current.json', '/rest/no.such.method']) {
      const res = await call(path);
      assert.equal(res.status, 401, path);
      assert.equal(res.body.error, 'NO_AUTH_FOUND');
    }
  });

  it('wrong webhook code text: a wrong webhook token, or a user id that does not match → 401 NO_AUTH_FOUND "Wrong authorization data"', async () => {
    for (const path of ['/rest/1/wrongtoken/user.current', '/rest/2/testtoken/user.current', '/rest/x/y/server.time']) {
      const res = await call(path);
      assert.equal(res.status, 401, path);
      assert.equal(res.body.error, 'NO_AUTH_FOUND');
      // _includes/system-errors.md: the description is "Wrong authorization data" (the meaning column is prose).
      assert.equal(res.body.error_description, 'Wrong authorization data');
    }
  });

  it('an unknown OAuth token → 401 invalid_token', async () => {
    const res = await call('/rest/user.current?auth=0123456789abcdef');
    assert.equal(res.status, 401);
    assert.equal(res.body.error, 'invalid_token');
  });

  it('a token older than an hour → 401 expired_token; a fresh one works again', async () => {
    assert.equal((await call(`/rest/user.current?auth=${token}`)).status, 200);
    clock.advance(3601_000);
    const res = await call(`/rest/user.current?auth=${token}`);
    assert.equal(res.status, 401);
    assert.deepEqual(res.body, { error: 'expired_token', error_description: 'The access token provided has expired' });
    const app = await server.app.domain.identities.appByClientId('local.auth.1');
    const fresh = (await server.app.domain.identities.issueTokens(app!, 1)).access_token;
    assert.equal((await call(`/rest/user.current?auth=${fresh}`)).status, 200);
  });

  it('the credentials never reach the params a method and the inspector see, wherever they were sent', async () => {
    const app = await server.app.domain.identities.appByClientId('local.auth.1');
    const token = (await server.app.domain.identities.issueTokens(app!, 1)).access_token;
    const seen: unknown[] = [];
    const stop = server.app.pipeline.observe({ answered: (answered) => seen.push(answered.params) });
    try {
      const json = (body: object) => ({
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      assert.equal((await call('/rest/user.current', json({ auth: token, FOO: 'a' }))).status, 200);
      assert.equal((await call('/rest/user.current', json({ FOO: 'b', access_token: token }))).status, 200);
      assert.equal((await call(`/rest/user.current?FOO=c&auth=${token}`)).status, 200);
      assert.equal((await call(`/rest/1/testtoken/user.current?auth=x&FOO=d`)).status, 200);
    } finally {
      stop();
    }
    assert.deepEqual(seen, [{ FOO: 'a' }, { FOO: 'b' }, { FOO: 'c' }, { FOO: 'd' }]);
  });

  it('a webhook without the method scope → 403 insufficient_scope', async () => {
    const hook = await server.app.domain.identities.createWebhook(1, ['imbot'], 'imbotonly');
    const res = await call(`/rest/1/${hook.token}/user.current`);
    assert.equal(res.status, 403);
    assert.equal(res.body.error, 'insufficient_scope');
  });

  it('an application without the method scope → 403 insufficient_scope', async () => {
    const app = await server.app.domain.identities.createApp({ clientId: 'local.auth.2', scopes: ['imbot'] });
    const t = (await server.app.domain.identities.issueTokens(app, 1)).access_token;
    const res = await call(`/rest/user.current?auth=${t}`);
    assert.equal(res.status, 403);
    assert.equal(res.body.error, 'insufficient_scope');
  });

  it('basic methods need no scope', async () => {
    const hook = await server.app.domain.identities.createWebhook(1, ['imbot'], 'imbotonly2');
    assert.equal((await call(`/rest/1/${hook.token}/server.time`)).status, 200);
  });
});
