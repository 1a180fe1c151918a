import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../helpers/harness.ts';

describe('methods', () => {
  let server: TestServer;
  let userHook: string;
  before(async () => {
    server = await startTestServer();
    const hook = await server.app.domain.identities.createWebhook(1, ['user'], 'useronly');
    userHook = `${server.url}/rest/1/${hook.token}/`;
  });
  after(() => server.close());

  it('without params: what the caller may call, the common methods included, lower-cased', async () => {
    const res = await server.call('methods', {}, userHook);
    assert.equal(res.status, 200);
    for (const name of ['user.get', 'user.current', 'batch', 'server.time', 'method.get', 'profile']) {
      assert.ok(res.body.result.includes(name), name);
    }
    assert.equal(res.body.result.includes('imbot.register'), false, 'not in the user scope');
    const all = await server.call('methods');
    assert.ok(all.body.result.includes('imbot.chat.sendtyping'), 'an all-scopes webhook may call everything');
  });

  it('scope=X lists that scope; scope= (empty) the common ones; full=true everything', async () => {
    const user = await server.call('methods', { scope: 'user' }, userHook);
    assert.ok(user.body.result.includes('user.add'));
    assert.equal(user.body.result.includes('batch'), false);
    const imbot = await server.call('methods', { scope: 'imbot' }, userHook);
    assert.ok(imbot.body.result.includes('imbot.register'), 'listing a scope is not calling it');
    const common = await fetch(`${userHook}methods?scope=`).then((r) => r.json());
    assert.ok(common.result.includes('batch'));
    assert.equal(common.result.includes('user.get'), false);
    const full = await server.call('methods', { FULL: 'true' }, userHook);
    assert.ok(full.body.result.includes('imbot.register'));
  });

  it('a scope that is not a string → INVALID_REQUEST', async () => {
    const res = await server.call('methods', { scope: { a: 1 } });
    assert.equal(res.status, 400);
    assert.equal(res.body.error, 'INVALID_REQUEST');
  });
});
