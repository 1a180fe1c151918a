import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../helpers/harness.ts';

describe('user.fields', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it('answers field → caption for the full user scope, as the docs list them', async () => {
    const res = await server.call('user.fields');
    assert.equal(res.status, 200);
    assert.equal(res.body.result.ID, 'ID');
    assert.equal(res.body.result.NAME, 'First Name');
    assert.equal(res.body.result.EMAIL, 'E-Mail');
    assert.equal(res.body.result.UF_DEPARTMENT, 'Units');
    assert.equal(res.body.result.USER_TYPE, 'USER_TYPE');
    assert.deepEqual(Object.keys(res.body.result).slice(0, 4), ['ID', 'XML_ID', 'ACTIVE', 'NAME']);
  });

  it('user_brief gets only its fields', async () => {
    const hook = await server.app.domain.identities.createWebhook(1, ['user_brief'], 'brief');
    const res = await server.call('user.fields', {}, `${server.url}/rest/1/${hook.token}/`);
    assert.equal(res.status, 200);
    assert.equal(res.body.result.NAME, 'First Name');
    assert.equal(res.body.result.EMAIL, undefined);
    assert.equal(res.body.result.LAST_LOGIN, undefined);
  });
});
