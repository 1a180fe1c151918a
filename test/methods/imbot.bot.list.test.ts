import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { oauthApp, registerBot } from '../helpers/bots.ts';
import { startTestServer, type TestServer } from '../helpers/harness.ts';

describe('imbot.bot.list', () => {
  let server: TestServer;

  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it('no bots → [] (PHP empty array)', async () => {
    const res = await server.call('imbot.bot.list');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.result, []);
  });

  it('lists every bot of the portal, keyed by id, whichever application asks', async () => {
    const a = await registerBot(server, 'list-a', 'alpha', { PROPERTIES: { NAME: 'Alpha', LAST_NAME: 'One' } });
    const b = await registerBot(server, 'list-b', 'beta', { TYPE: 'O', PROPERTIES: { LAST_NAME: 'Beta' } });
    const expected = {
      [a]: { ID: a, NAME: 'Alpha One', CODE: 'alpha', OPENLINE: 'N' },
      [b]: { ID: b, NAME: 'Beta', CODE: 'beta', OPENLINE: 'Y' },
    };
    const viaWebhook = await server.call('imbot.bot.list');
    assert.deepEqual(viaWebhook.body.result, expected);
    assert.deepEqual(Object.keys(viaWebhook.body.result), [String(a), String(b)]);
    const { token, base } = await oauthApp(server, 'local.app.list');
    const viaOauth = await server.call('imbot.bot.list', { auth: token }, base);
    assert.deepEqual(viaOauth.body.result, expected);
  });
});
