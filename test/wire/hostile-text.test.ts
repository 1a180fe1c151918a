import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { avatarsRoute } from '../../src/files/avatars-route.ts';
import { fileDownloads } from '../../src/files/file-downloads.ts';
import { assertError, registerBot } from '../helpers/bots.ts';
import { startTestServer, type TestServer } from '../helpers/harness.ts';

// Issue 11, defect 3: PostgreSQL refuses U+0000 in text and lone surrogates in jsonb, so both used to end in a 500.
// The wire strips NUL from every key and string and refuses a JSON text with a lone surrogate, as PHP's json_decode
// does (docs/decisions.md, "Wire protocol").
describe('defect 3: NUL bytes and lone UTF-16 surrogates', () => {
  let server: TestServer;
  let botId: number;
  let chatId: number;

  before(async () => {
    server = await startTestServer({ features: [avatarsRoute, fileDownloads] });
    botId = await registerBot(server, 'nul', 'nulbot');
    const chat = await server.call('imbot.chat.add', { BOT_ID: botId, CLIENT_ID: 'nul', USERS: [1], TITLE: 'nul' });
    assert.equal(chat.status, 200, JSON.stringify(chat.body));
    chatId = chat.body.result;
  });
  after(() => server.close());

  const NUL = 'a\u0000b';
  const LONE = 'a\ud800b';
  const calls = (text: string): [string, Record<string, unknown>][] => [
    ['im.message.add', { DIALOG_ID: `chat${chatId}`, MESSAGE: text }],
    ['imbot.message.add', { BOT_ID: botId, CLIENT_ID: 'nul', DIALOG_ID: `chat${chatId}`, MESSAGE: text }],
    ['im.chat.add', { TITLE: text, USERS: [1], ENTITY_TYPE: text, DESCRIPTION: text }],
    ['imbot.chat.add', { BOT_ID: botId, CLIENT_ID: 'nul', TITLE: text, USERS: [1] }],
    ['imbot.chat.updateTitle', { BOT_ID: botId, CLIENT_ID: 'nul', CHAT_ID: chatId, TITLE: text }],
    ['imbot.register', { CODE: text, EVENT_HANDLER: 'http://127.0.0.1:9/h', PROPERTIES: { NAME: text } }],
    ['imbot.dialog.get', { BOT_ID: botId, CLIENT_ID: 'nul', DIALOG_ID: text }],
    ['imbot.command.answer', { COMMAND_ID: 1, MESSAGE_ID: 1, MESSAGE: text, CLIENT_ID: text }],
    ['imbot.v2.Bot.list', { botToken: text, filter: { [text]: text } }],
    ['event.test', { [text]: text }],
    ['user.get', { FILTER: { NAME: text }, [text]: text }],
  ];

  it('NUL in keys and values is stripped: no call answers 5xx', async () => {
    for (const [method, params] of calls(NUL)) {
      const res = await server.call(method, params);
      assert.ok(res.status < 500, `${method}: ${res.status} ${JSON.stringify(res.body)}`);
    }
    const form = await fetch(`${server.webhook}im.message.add`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `DIALOG_ID=chat${chatId}&MESSAGE=x%00y&%00=1`,
    });
    assert.equal(form.status, 200);
    const history = await server.call('im.dialog.messages.get', { DIALOG_ID: `chat${chatId}` });
    const texts = history.body.result.messages.map((m: { text: string }) => m.text);
    assert.ok(texts.includes('xy'), JSON.stringify(texts));
    assert.ok(texts.includes('ab'), JSON.stringify(texts));
  });

  it('a lone surrogate in a JSON body is INVALID_REQUEST, as json_decode refuses it', async () => {
    for (const [method, params] of calls(LONE)) {
      const res = await server.call(method, params);
      assertError(res, 400, 'INVALID_REQUEST');
      assert.match(res.body.error_description, /surrogate/);
    }
    // Inside a JSON string param (ATTACH as text), the param's own error.
    const attach = await server.call('imbot.message.add', {
      BOT_ID: botId,
      CLIENT_ID: 'nul',
      DIALOG_ID: `chat${chatId}`,
      MESSAGE: 'x',
      ATTACH: '[{"MESSAGE":"\\ud800"}]',
    });
    assertError(attach, 400, 'ATTACH_ERROR');
    const withNul = await server.call('imbot.message.add', {
      BOT_ID: botId,
      CLIENT_ID: 'nul',
      DIALOG_ID: `chat${chatId}`,
      MESSAGE: 'x',
      ATTACH: '[{"MESSAGE":"a\\u0000b"}]',
    });
    assert.equal(withNul.status, 200, JSON.stringify(withNul.body));
  });

  it('NUL in paths and tokens is no 500: avatars, downloads, webhook tokens, batch commands', async () => {
    for (const path of ['/upload/avatar/%00', '/upload/avatar/a%00.png', '/rest/download.json?token=imbot|%00']) {
      const res = await fetch(`${server.url}${path}`);
      assert.equal(res.status, 404, path);
    }
    const token = await fetch(`${server.url}/rest/1/%00/user.get`);
    assert.equal(token.status, 401);
    const batch = await server.call('batch', { cmd: { a: 'user.get?FILTER[NAME]=%00&x%00=1' } });
    assert.equal(batch.status, 200, JSON.stringify(batch.body));
    assert.deepEqual(batch.body.result.result_error, []);
  });
});
