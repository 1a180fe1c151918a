import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../helpers/harness.ts';

describe('scope', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it("answers the webhook's scopes, or all of them with full=true", async () => {
    const hook = await server.app.domain.identities.createWebhook(1, ['user', 'imbot'], 'two');
    const base = `${server.url}/rest/1/${hook.token}/`;
    assert.deepEqual((await server.call('scope', {}, base)).body.result, ['user', 'imbot']);
    const full = (await server.call('scope', { full: true }, base)).body.result;
    for (const s of ['user', 'user_brief', 'user_basic', 'im', 'imbot', 'pull']) assert.ok(full.includes(s), s);
    assert.equal(full.includes('basic'), false, 'basic is implicit');
  });

  it('a webhook without a scope list has every scope', async () => {
    const res = await server.call('scope');
    assert.deepEqual(res.body.result, (await server.call('scope', { full: 1 })).body.result);
  });

  it('full that is no boolean → INVALID_REQUEST', async () => {
    const res = await server.call('scope', { full: 'perhaps' });
    assert.equal(res.status, 400);
    assert.equal(res.body.error, 'INVALID_REQUEST');
  });
});
