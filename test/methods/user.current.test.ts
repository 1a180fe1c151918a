import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../helpers/harness.ts';

describe('user.current', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it("answers the webhook's user with the documented fields", async () => {
    const res = await server.call('user.current');
    assert.equal(res.status, 200);
    assert.equal(res.body.result.ID, '1');
    assert.equal(res.body.result.NAME, 'Admin');
    assert.equal(res.body.result.EMAIL, 'admin@b24.local');
    assert.deepEqual(res.body.result.UF_DEPARTMENT, [1]);
  });

  it('user_brief leaves out contacts', async () => {
    const hook = await server.app.domain.identities.createWebhook(1, ['user_brief'], 'brief');
    const res = await server.call('user.current', {}, `${server.url}/rest/1/${hook.token}/`);
    assert.equal(res.body.result.NAME, 'Admin');
    assert.equal(res.body.result.EMAIL, undefined);
  });
});
