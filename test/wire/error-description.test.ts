import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiError, MAX_DESCRIPTION } from '../../src/wire/errors.ts';
import { startTestServer, type TestServer } from '../helpers/harness.ts';
import { v2Register } from '../helpers/v2.ts';

// Issue 11, defect 11: error descriptions that echo the client's value (the v2 binder's "Invalid value {value} to
// match with parameter …") repeated a 1 MB param back whole. Every description is capped at MAX_DESCRIPTION.
describe('defect 11: error descriptions do not echo whole bad values', () => {
  let server: TestServer;
  let botId: number;
  before(async () => {
    server = await startTestServer();
    botId = await v2Register(server, 'tok-echo', 'echo');
  });
  after(() => server.close());

  it('a 1 MB wrong-typed argument answers a short description', async () => {
    const huge = { nested: 'x'.repeat(1_000_000) };
    const res = await server.call('imbot.v2.Chat.Message.delete', { botId, botToken: 'tok-echo', messageId: huge });
    assert.equal(res.status, 400);
    assert.equal(res.body.error, 100, JSON.stringify(res.body).slice(0, 300));
    assert.ok(res.body.error_description.length <= MAX_DESCRIPTION + 1, String(res.body.error_description.length));
    assert.match(res.body.error_description, /^Invalid value \{"nested":"xxx.*…$/);
  });

  it('no description is longer than the cap, and a cut never splits a surrogate pair', () => {
    const cut = new ApiError('INVALID_REQUEST', `${'a'.repeat(MAX_DESCRIPTION - 1)}😀😀`);
    assert.equal(cut.description, `${'a'.repeat(MAX_DESCRIPTION - 1)}…`);
    assert.doesNotMatch(cut.description, /[\uD800-\uDBFF]…$/);
  });
});
