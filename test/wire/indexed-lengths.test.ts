import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { oauthApp, registerBot } from '../helpers/bots.ts';
import { startTestServer, type TestServer } from '../helpers/harness.ts';
import { v2Register } from '../helpers/v2.ts';

// Issue 11, defect 4 (the im.chat.add 20 KB ENTITY_TYPE class): a value stored in an indexed text column must be
// refused by its method with the param's error, never reach PostgreSQL's "index row size exceeds" (a 500). The
// columns are those the migrations index (bots.code and app_key, apps.client_id, commands.command, chats'
// entity, event_handlers and bot_handler_ids with the handler URL, v2 bot tokens, users' login and e-mail); the
// values are random, so PostgreSQL cannot compress them under its limit as it does a repeated character.
const huge = (n: number) => randomBytes(n).toString('base64url').slice(0, n);
// Letters and digits only, so it passes the format checks of command names.
const H = huge(6000).replace(/[^A-Za-z0-9]/g, 'x');

describe('defect 4: indexed text params are length-checked by their methods', () => {
  let server: TestServer;
  let botId: number;
  let v2BotId: number;
  let oauth: { token: string; base: string };
  let n = 0;
  /** A short value unique to this call: the same case with it succeeds, so the huge one reaches the same code. */
  const short = () => `v${++n}`;

  before(async () => {
    server = await startTestServer();
    botId = await registerBot(server, 'len', 'lenbot');
    v2BotId = await v2Register(server, 'len-v2-token', 'lenv2');
    oauth = await oauthApp(server, 'len.app');
  });
  after(() => server.close());

  const url = (v: string) => `http://127.0.0.1:9/${v}`;
  const lang = [{ LANGUAGE_ID: 'en', TITLE: 't' }];
  // [method, params with the value v, the error the huge value gets, over OAuth]
  const cases: [string, (v: string) => Record<string, unknown>, string, 'oauth'?][] = [
    [
      'imbot.register',
      (v) => ({ CODE: v, CLIENT_ID: 'len', EVENT_HANDLER: url('h'), PROPERTIES: { NAME: 'x' } }),
      'WRONG_REQUEST',
    ],
    [
      'imbot.register',
      (v) => ({ CODE: short(), CLIENT_ID: v, EVENT_HANDLER: url('h'), PROPERTIES: { NAME: 'x' } }),
      'WRONG_REQUEST',
    ],
    [
      'imbot.register',
      (v) => ({ CODE: short(), CLIENT_ID: 'len2', EVENT_HANDLER: url(v), PROPERTIES: { NAME: 'x' } }),
      'EVENT_MESSAGE_ADD_ERROR',
    ],
    ['imbot.update', (v) => ({ BOT_ID: botId, CLIENT_ID: 'len', FIELDS: { CODE: v } }), 'WRONG_REQUEST'],
    [
      'imbot.update',
      (v) => ({ BOT_ID: botId, CLIENT_ID: 'len', FIELDS: { EVENT_HANDLER: url(v) } }),
      'EVENT_MESSAGE_ADD_ERROR',
    ],
    [
      'imbot.command.register',
      (v) => ({ BOT_ID: botId, CLIENT_ID: 'len', COMMAND: short(), EVENT_COMMAND_ADD: url(v), LANG: lang }),
      'EVENT_COMMAND_ADD_ERROR',
    ],
    [
      'imbot.command.register',
      (v) => ({ BOT_ID: botId, CLIENT_ID: 'len', COMMAND: v, EVENT_COMMAND_ADD: url('c'), LANG: lang }),
      'WRONG_REQUEST',
    ],
    [
      'imbot.v2.Command.register',
      (v) => ({ botId: v2BotId, botToken: 'len-v2-token', fields: { command: v, title: { en: 't' } } }),
      'COMMAND_NAME_INVALID',
    ],
    ['imbot.chat.add', (v) => ({ BOT_ID: botId, CLIENT_ID: 'len', USERS: [1], ENTITY_TYPE: v, ENTITY_ID: '1' }), ''],
    ['imbot.chat.add', (v) => ({ BOT_ID: botId, CLIENT_ID: 'len', USERS: [1], ENTITY_TYPE: 'T', ENTITY_ID: v }), ''],
    [
      'imbot.v2.Bot.register',
      (v) => ({ fields: { code: v, botToken: 'len-v2-a', properties: { name: 'x' } } }),
      'BOT_REGISTER_FAILED',
    ],
    [
      'imbot.v2.Bot.register',
      (v) => ({
        fields: {
          code: short(),
          botToken: 'len-v2-c',
          eventMode: 'webhook',
          webhookUrl: url(v),
          properties: { name: 'x' },
        },
      }),
      'BOT_INVALID_CALLBACK',
    ],
    ['user.update', (v) => ({ ID: 1, EMAIL: `${v}@example.com` }), 'ERROR_CORE'],
    ['event.bind', (v) => ({ EVENT: 'ONAPPINSTALL', HANDLER: url(v) }), 'ERROR_WRONG_HANDLER_URL', 'oauth'],
    [
      'event.bind',
      (v) => ({ EVENT: 'ONAPPUNINSTALL', EVENT_TYPE: 'offline', AUTH_CONNECTOR: v }),
      'ERROR_ARGUMENT',
      'oauth',
    ],
  ];

  for (const [method, params, error, via] of cases) {
    const shown = JSON.stringify(params('<huge>')).slice(0, 110);
    it(`${method} ${shown}: a short value works, a huge one is ${error || 'refused'}`, async () => {
      const call = (body: Record<string, unknown>) =>
        via === 'oauth' ? server.call(method, { ...body, auth: oauth.token }, oauth.base) : server.call(method, body);
      const ok = await call(params(short()));
      assert.equal(ok.status, 200, `the control call: ${JSON.stringify(ok.body).slice(0, 300)}`);
      const res = await call(params(H));
      assert.ok(res.status >= 400 && res.status < 500, `${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
      if (error) assert.equal(res.body.error, error, JSON.stringify(res.body).slice(0, 300));
    });
  }
});
