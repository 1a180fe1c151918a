import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../src/config/config.ts';
import { handlerPolicy } from '../../src/config/handler-allow.ts';
import { eventDelivery } from '../../src/delivery/event-delivery.ts';
import { assertError } from '../helpers/bots.ts';
import { botWithHandler, eventually, FAST, HandlerStub, oauthToken } from '../helpers/handler.ts';
import { startTestServer, type TestServer } from '../helpers/harness.ts';

/** Handler URLs that point at cloud metadata or link-local services, or carry credentials. */
const REFUSED = [
  'http://169.254.169.254/latest/meta-data/',
  'http://2852039166/latest/', // 169.254.169.254 written as one number
  'http://[::ffff:169.254.169.254]/',
  'http://[fe80::1]/hook',
  'http://[fd00:ec2::254]/',
  'http://100.100.100.200/',
  'http://metadata.google.internal/computeMetadata/v1/',
  'http://0.0.0.0:3000/',
  'http://user:secret@127.0.0.1:3000/hook',
];
/** Loopback and private ranges stay allowed: bots under development run there. */
const ALLOWED = [
  'http://127.0.0.1:3000/h',
  'http://localhost:3000/h',
  'http://10.0.0.5/h',
  'https://bot.example.com/h',
];

// issue 11, defect 6: handlers could be any http(s) host, 169.254.169.254 included (blind SSRF).
describe('handler URLs: refused at registration', () => {
  let server: TestServer;
  let appToken: string;
  // v1 bots over the webhook belong to application `custom{CLIENT_ID}`.
  const rest = (method: string, params: Record<string, unknown>, auth?: string) =>
    auth
      ? server.call(method, { ...params, auth }, `${server.url}/rest/`)
      : server.call(method, method.startsWith('imbot.v2') ? params : { CLIENT_ID: 'ssrf', ...params });
  before(async () => {
    // Dotless hosts on (B24_HANDLER_DOTLESS), so the IPv6 literals and `localhost` meet the SSRF rules themselves.
    server = await startTestServer({ config: { handlerPolicy: handlerPolicy(undefined, true) } });
    appToken = await oauthToken(server, 'local.ssrf', ['imbot']);
  });
  after(() => server.close());

  it('imbot.register and imbot.update: EVENT_*_ERROR "Wrong handler URL" with the reason', async () => {
    for (const [i, url] of REFUSED.entries()) {
      const res = await rest('imbot.register', { CODE: `r${i}`, EVENT_HANDLER: url, PROPERTIES: { NAME: 'R' } });
      assertError(res, 400, 'EVENT_MESSAGE_ADD_ERROR');
      assert.match(res.body.error_description, /^Wrong handler URL: /, url);
    }
    for (const [i, url] of ALLOWED.entries()) {
      const res = await rest('imbot.register', { CODE: `a${i}`, EVENT_HANDLER: url, PROPERTIES: { NAME: 'A' } });
      assert.equal(typeof res.body.result, 'number', `${url}: ${JSON.stringify(res.body)}`);
    }
    const id = (await rest('imbot.register', { CODE: 'u', EVENT_HANDLER: ALLOWED[0], PROPERTIES: { NAME: 'U' } })).body
      .result;
    const update = await rest('imbot.update', { BOT_ID: id, FIELDS: { EVENT_MESSAGE_UPDATE: REFUSED[0] } });
    assertError(update, 400, 'EVENT_MESSAGE_UPDATE_ERROR');
    assert.match(update.body.error_description, /169\.254\.169\.254 is a link-local or cloud metadata address/);
  });

  it('imbot.command.register: EVENT_COMMAND_ADD_ERROR', async () => {
    const id = (await rest('imbot.register', { CODE: 'c', EVENT_HANDLER: ALLOWED[0], PROPERTIES: { NAME: 'C' } })).body
      .result;
    const res = await rest('imbot.command.register', {
      BOT_ID: id,
      COMMAND: 'x',
      EVENT_COMMAND_ADD: REFUSED[6],
      LANG: [{ LANGUAGE_ID: 'en', TITLE: 'x' }],
    });
    assertError(res, 400, 'EVENT_COMMAND_ADD_ERROR');
  });

  it('imbot.v2.Bot.register and update: BOT_INVALID_CALLBACK', async () => {
    const register = (code: string, webhookUrl: string) =>
      rest('imbot.v2.Bot.register', {
        fields: { code, botToken: `t-${code}`, properties: { name: code }, eventMode: 'webhook', webhookUrl },
      });
    for (const url of [REFUSED[0], REFUSED[8]]) {
      const res = await register('v2bad', url);
      assertError(res, 400, 'BOT_INVALID_CALLBACK');
      assert.match(res.body.error_description, /^Invalid callback URL: /);
    }
    const ok = await register('v2ok', ALLOWED[1]);
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    const update = await rest('imbot.v2.Bot.update', {
      botId: ok.body.result.bot.id,
      botToken: 't-v2ok',
      fields: { webhookUrl: REFUSED[3] },
    });
    assertError(update, 400, 'BOT_INVALID_CALLBACK');
  });

  it('event.bind: ERROR_WRONG_HANDLER_URL', async () => {
    const res = await rest('event.bind', { EVENT: 'ONAPPTEST', HANDLER: REFUSED[0] }, appToken);
    assertError(res, 400, 'ERROR_WRONG_HANDLER_URL');
    assert.match(res.body.error_description, /link-local or cloud metadata/);
    assertError(
      await rest('event.bind', { EVENT: 'ONAPPTEST', HANDLER: REFUSED[8] }, appToken),
      400,
      'ERROR_WRONG_HANDLER_URL',
    );
    assert.equal((await rest('event.bind', { EVENT: 'ONAPPTEST', HANDLER: ALLOWED[0] }, appToken)).body.result, true);
  });
});

// Bitrix\Rest\HandlerHelper::checkCallback: a host needs a dot after its first character, checked before the protocol.
describe('handler hosts without a dot: refused by default, as on a portal; B24_HANDLER_DOTLESS=on takes them', () => {
  let server: TestServer;
  let appToken: string;
  before(async () => {
    server = await startTestServer();
    appToken = await oauthToken(server, 'local.dotless', ['imbot']);
  });
  after(() => server.close());

  it('imbot.register, event.bind: localhost and [::1] are "Wrong handler URL"; 127.0.0.1 is taken', async () => {
    const register = (code: string, url: string) =>
      server.call('imbot.register', { CODE: code, EVENT_HANDLER: url, PROPERTIES: { NAME: code }, CLIENT_ID: 'dl' });
    for (const url of ['http://localhost:3000/h', 'http://[::1]:3000/h', 'ftp://localhost/h']) {
      assertError(await register('dl', url), 400, 'EVENT_MESSAGE_ADD_ERROR', 'Wrong handler URL');
      const bind = await server.call(
        'event.bind',
        { EVENT: 'ONAPPTEST', HANDLER: url, auth: appToken },
        `${server.url}/rest/`,
      );
      assertError(bind, 400, 'ERROR_WRONG_HANDLER_URL', 'Wrong handler URL');
    }
    assert.equal(typeof (await register('dl-ip', 'http://127.0.0.1:3000/h')).body.result, 'number');
    assert.equal(loadConfig({ B24_HANDLER_DOTLESS: 'on' }).handlerPolicy.dotlessHosts, true);
    assert.equal(loadConfig({}).handlerPolicy.dotlessHosts, false);
  });
});

describe('B24_HANDLER_ALLOW', () => {
  let server: TestServer;
  before(async () => {
    const policy = handlerPolicy('bots.example.com, *.dev.example 10.1.0.0/16 169.254.10.0/24');
    server = await startTestServer({ config: { handlerPolicy: policy } });
  });
  after(() => server.close());

  it('lets handlers go only to the listed names, suffixes and ranges; a listed range lifts the default refusal', async () => {
    const register = (code: string, url: string) =>
      server.call('imbot.register', { CODE: code, EVENT_HANDLER: url, PROPERTIES: { NAME: code }, CLIENT_ID: code });
    for (const [i, url] of [
      'https://bots.example.com/h',
      'http://a.dev.example/h',
      'http://10.1.2.3/h',
      'http://169.254.10.7/h',
    ].entries()) {
      assert.equal(typeof (await register(`ok${i}`, url)).body.result, 'number', url);
    }
    for (const url of ['http://127.0.0.1:3000/h', 'http://10.2.0.1/h', 'http://169.254.169.254/']) {
      const res = await register('no', url);
      assertError(res, 400, 'EVENT_MESSAGE_ADD_ERROR');
      assert.match(res.body.error_description, /not in B24_HANDLER_ALLOW|link-local/, url);
    }
  });

  it('refuses a malformed entry at start', () => {
    assert.throws(() => handlerPolicy('http://x/'), /B24_HANDLER_ALLOW/);
    assert.throws(() => handlerPolicy('10.0.0.0/99'), /B24_HANDLER_ALLOW/);
  });
});

describe('handler addresses: checked again when connecting, after DNS', () => {
  const handler = new HandlerStub();
  let server: TestServer;
  const lastError = (botId: number) =>
    eventually(async () => {
      const [row] = await server.db.query<{ last_error: string | null; attempts: number }>(
        `SELECT d.last_error, d.attempts FROM event_deliveries d JOIN event_log l ON l.id = d.event_id
         WHERE $1 = ANY(l.bot_ids) AND d.last_error IS NOT NULL`,
        [botId],
      );
      return row?.last_error;
    });
  const message = (botId: number) => server.call('im.message.add', { DIALOG_ID: String(botId), MESSAGE: 'hi' });

  before(async () => {
    await handler.start();
    // Ranges only: a name passes registration and is judged by the addresses it resolves to.
    server = await startTestServer({
      config: { delivery: FAST, handlerPolicy: handlerPolicy('10.0.0.0/8', true) },
      features: [eventDelivery({ adminToken: 'x' })],
    });
  });
  after(async () => {
    await server.close();
    await handler.down();
  });

  it('a name that resolves outside the allow-list is not connected to', async () => {
    const botId = await botWithHandler(server, 'dns', 'dns_bot', handler.url.replace('127.0.0.1', 'localhost'));
    await message(botId);
    assert.match(await lastError(botId), /^EHANDLERREFUSED: localhost: 127\.0\.0\.1 is not in B24_HANDLER_ALLOW/);
    assert.equal(handler.received.length, 0);
  });

  it('a metadata handler stored before this check (an older version) is refused at send time', async () => {
    const botId = await botWithHandler(server, 'old', 'old_bot', 'http://10.0.0.1/h');
    const url = 'http://169.254.169.254/latest/meta-data/';
    await server.db.query(
      `UPDATE bots SET handlers = jsonb_build_object('EVENT_MESSAGE_ADD', $2::text) WHERE id = $1`,
      [botId, url],
    );
    server.app.domain.bots.forget(botId); // the row changed under the cache
    await message(botId);
    assert.match(await lastError(botId), /^EHANDLERREFUSED: 169\.254\.169\.254: .*link-local or cloud metadata/);
  });
});
