import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { pullFeature } from '../../src/realtime/pull-feature.ts';
import { assertError, oauthApp, registerBot } from '../helpers/bots.ts';
import { startTestServer, type TestServer } from '../helpers/harness.ts';

// Issue 11, defect 4: values past what the store holds reached SQL and answered 500. Int params are 32-bit (a
// declared one past it is the param's wrong value; one read like PHP's intval saturates and so names nothing), a
// FILTER list of ids is one array param, and indexed text params have the platform's column length.
describe('defect 4: out-of-range values never reach SQL', () => {
  let server: TestServer;
  let chatId: number;

  before(async () => {
    server = await startTestServer({ features: [pullFeature({ longPollTimeoutMs: 300 })] });
    const chat = await server.call('im.chat.add', { TITLE: 'range', USERS: [1] });
    assert.equal(chat.status, 200, JSON.stringify(chat.body));
    chatId = chat.body.result;
    await server.call('im.message.add', { DIALOG_ID: `chat${chatId}`, MESSAGE: 'one' });
  });
  after(() => server.close());

  it('LAST_ID past any id pages from the newest message', async () => {
    const res = await server.call('im.dialog.messages.get', {
      DIALOG_ID: `chat${chatId}`,
      LAST_ID: '99999999999999999999999',
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.ok(res.body.result.messages.length >= 1);
  });

  it('OFFSET=1e308 is past every dialog: an empty page', async () => {
    for (const OFFSET of [1e308, '1e308', -1e308, '99999999999999999999']) {
      const res = await server.call('im.recent.list', { OFFSET });
      assert.equal(res.status, 200, JSON.stringify(res.body));
    }
  });

  it('COMMAND_ID=2147483648 is an unknown command', async () => {
    await registerBot(server, 'range', 'rangebot');
    for (const COMMAND_ID of [2147483648, '2147483648', '99999999999999999999']) {
      const res = await server.call('imbot.command.answer', {
        CLIENT_ID: 'range',
        COMMAND_ID,
        MESSAGE_ID: 1,
        MESSAGE: 'x',
      });
      assertError(res, 400, 'COMMAND_ID_ERROR');
    }
  });

  it('USER_ID=9007199254740993 in pull.application.event.add names nobody', async () => {
    const { token, base } = await oauthApp(server, 'range.app');
    const res = await server.call(
      'pull.application.event.add',
      { auth: token, USER_ID: ['9007199254740993'], COMMAND: 'ping', PARAMS: {} },
      base,
    );
    assert.ok(res.status < 500, JSON.stringify(res.body));
  });

  it('user.get with 70,000 ids is one query', async () => {
    const ids = Array.from({ length: 70_000 }, (_, i) => i + 1);
    const res = await server.call('user.get', { FILTER: { ID: ids } });
    assert.equal(res.status, 200, JSON.stringify(res.body).slice(0, 300));
    assert.equal(res.body.result[0].ID, '1');
    const names = await server.call('user.get', { FILTER: { NAME: ids.map(String) } });
    assertError(names, 400, 'INVALID_REQUEST');
  });

  it('a 20 KB ENTITY_TYPE is a wrong value, not an index row too large', async () => {
    const res = await server.call('im.chat.add', { TITLE: 't', USERS: [1], ENTITY_TYPE: 'x'.repeat(20_000) });
    assertError(res, 400, 'INVALID_REQUEST');
    const ok = await server.call('im.chat.add', { TITLE: 't', USERS: [1], ENTITY_TYPE: 'x'.repeat(50) });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
  });
});
