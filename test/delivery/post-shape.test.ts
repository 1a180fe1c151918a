import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../../src/clock.ts';
import { eventDelivery } from '../../src/delivery/event-delivery.ts';
import type { BotEvent } from '../../src/domain/events.ts';
import { botWithHandler, FAST, HandlerStub, oauthToken } from '../helpers/handler.ts';
import { startTestServer, type TestServer } from '../helpers/harness.ts';

// A webhook bot's sets: the docs' keys in their order, without the tokens a webhook application cannot have.
const WEBHOOK_AUTH = [
  'scope',
  'domain',
  'server_endpoint',
  'status',
  'client_endpoint',
  'member_id',
  'user_id',
  'application_token',
];
// Key order of the docs' examples (b24restdocs …/messages/events/on-imbot-message-add.md).
const OAUTH_AUTH = [
  'access_token',
  'expires',
  'expires_in',
  'scope',
  'domain',
  'server_endpoint',
  'status',
  'client_endpoint',
  'member_id',
  'user_id',
  'refresh_token',
  'application_token',
];
const OAUTH_BOT = [
  'access_token',
  'expires',
  'expires_in',
  'scope',
  'domain',
  'server_endpoint',
  'status',
  'client_endpoint',
  'member_id',
  'refresh_token',
  'user_id',
  'client_id',
  'application_token',
];

describe('event POST shape', () => {
  const clock = new ManualClock();
  const handler = new HandlerStub();
  let server: TestServer;
  let userId: number;
  let webhookBot: number;

  const emit = (event: BotEvent) => server.db.tx((tx) => server.app.domain.events.emit(tx, event));
  const message = (botId: number, extra: Record<string, unknown> = {}): BotEvent => ({
    event: 'ONIMBOTMESSAGEADD',
    botIds: [botId],
    userId,
    dialogId: String(userId),
    params: {
      MESSAGE: 'Hello & welcome [b]x[/b]',
      DIALOG_ID: String(userId),
      MESSAGE_ID: 84331,
      FROM_USER_ID: userId,
      TO_USER_ID: botId,
      CHAT_TYPE: 'P',
      SYSTEM: 'N',
      MENTIONED_LIST: { [botId]: botId },
      FILES: [],
      ...extra,
    },
  });
  const rest = async (method: string, params: Record<string, unknown>) => {
    const res = await fetch(`${server.url}/rest/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(params),
    });
    return res.json();
  };

  before(async () => {
    await handler.start();
    server = await startTestServer({
      clock,
      config: { delivery: FAST },
      features: [eventDelivery({ adminToken: 'admin-secret' })],
    });
    const user = await server.app.domain.users.create({
      name: 'Svetlana',
      last_name: 'Ivanova',
      personal_gender: 'F',
      work_position: 'Manager',
    });
    userId = user.id;
    webhookBot = await botWithHandler(server, 'shape', 'shape_bot', handler.url);
  });
  after(async () => {
    await server.close();
    await handler.down();
  });

  it("posts a webhook bot its event as PHP-style form fields: scalars as strings, data[PARAMS] in the pages' order, auth with scope, status, user_id", async () => {
    handler.received.length = 0;
    await emit(message(webhookBot, { IMPORTANT: true, QUOTED: false, EMPTY: null }));
    const [got] = await handler.waitFor(1);
    assert.equal(got.headers['content-type'], 'application/x-www-form-urlencoded');
    assert.match(got.raw, /(^|&)data%5BPARAMS%5D%5BMESSAGE%5D=Hello%20%26%20welcome%20%5Bb%5Dx%5B%2Fb%5D(&|$)/);
    assert.deepEqual(Object.keys(got.form), ['event', 'event_handler_id', 'data', 'ts', 'auth']);
    assert.equal(got.form.event, 'ONIMBOTMESSAGEADD');
    assert.match(got.form.event_handler_id, /^\d+$/);
    assert.equal(got.form.ts, String(Math.floor(clock.now() / 1000)));
    assert.deepEqual(Object.keys(got.form.data), ['BOT', 'PARAMS', 'USER']);
    // data[PARAMS] key order as the event was built (the pages' order), not the store's
    assert.deepEqual(Object.keys(got.form.data.PARAMS), [
      'MESSAGE',
      'DIALOG_ID',
      'MESSAGE_ID',
      'FROM_USER_ID',
      'TO_USER_ID',
      'CHAT_TYPE',
      'SYSTEM',
      'MENTIONED_LIST',
      'IMPORTANT',
      'QUOTED',
      'EMPTY',
    ]);
    assert.deepEqual(got.form.data.PARAMS, {
      MESSAGE: 'Hello & welcome [b]x[/b]',
      DIALOG_ID: String(userId),
      MESSAGE_ID: '84331',
      FROM_USER_ID: String(userId),
      TO_USER_ID: String(webhookBot),
      CHAT_TYPE: 'P',
      SYSTEM: 'N',
      MENTIONED_LIST: { [webhookBot]: String(webhookBot) },
      IMPORTANT: '1',
      QUOTED: '0',
      EMPTY: '',
    });
    assert.deepEqual(got.form.data.USER, {
      ID: String(userId),
      NAME: 'Svetlana Ivanova',
      FIRST_NAME: 'Svetlana',
      LAST_NAME: 'Ivanova',
      WORK_POSITION: 'Manager',
      GENDER: 'F',
      IS_BOT: 'N',
      IS_CONNECTOR: 'N',
      IS_NETWORK: 'N',
      IS_EXTRANET: 'N',
    });
    // webhook bots' auth with scope/status/user_id: the page's keys in its order, no tokens (no OAuth application).
    assert.deepEqual(Object.keys(got.form.auth), WEBHOOK_AUTH);
    assert.equal(got.form.auth.scope, 'imbot');
    assert.equal(got.form.auth.status, 'L');
    assert.equal(got.form.auth.user_id, String(userId));
    const host = new URL(server.url).host;
    assert.equal(got.form.auth.domain, host);
    assert.equal(got.form.auth.client_endpoint, `${server.url}/rest/`);
    assert.match(got.form.auth.member_id, /^[0-9a-f]{32}$/);
    assert.match(got.form.auth.application_token, /^[0-9a-f]{32}$/);
    const bot = got.form.data.BOT[webhookBot];
    assert.deepEqual(Object.keys(bot), [
      'scope',
      'domain',
      'server_endpoint',
      'status',
      'client_endpoint',
      'member_id',
      'user_id',
      'client_id',
      'application_token',
      'AUTH',
      'BOT_ID',
      'BOT_CODE',
    ]);
    assert.equal(bot.user_id, String(webhookBot));
    assert.equal(bot.client_id, 'shape');
    assert.equal(bot.BOT_ID, String(webhookBot));
    assert.equal(bot.BOT_CODE, 'shape_bot');
    const { AUTH, BOT_ID, BOT_CODE, ...flat } = bot;
    assert.deepEqual(AUTH, flat);
    // The stable id of the event travels in a header, the body stays exactly Bitrix24's.
    assert.match(got.eventId, /^\d+$/);
    assert.equal(got.headers['x-b24-delivery-attempt'], '1');
  });

  it('keeps event_handler_id and application_token stable, and gives each event its own id', async () => {
    handler.received.length = 0;
    await emit(message(webhookBot));
    await emit(message(webhookBot));
    const [a, b] = await handler.waitFor(2);
    assert.equal(a.form.event_handler_id, b.form.event_handler_id);
    assert.equal(a.form.auth.application_token, b.form.auth.application_token);
    assert.ok(Number(b.eventId) > Number(a.eventId));
  });

  it('gives an OAuth bot working tokens: its own in data[BOT], the acting user’s in auth; ONIMBOTJOINCHAT has six data[USER] keys and no auth[refresh_token]', async () => {
    const token = await oauthToken(server, 'local.shape.oauth');
    const base = `${server.url}/rest/`;
    const app = (await server.app.domain.identities.appByClientId('local.shape.oauth'))!;
    const reg = await rest('imbot.register', {
      auth: token,
      CODE: 'oauth_bot',
      EVENT_HANDLER: handler.url,
      PROPERTIES: { NAME: 'OAuth bot' },
    });
    const botId = reg.result;
    assert.equal(typeof botId, 'number', JSON.stringify(reg));
    handler.received.length = 0;
    await emit(message(botId));
    const [got] = await handler.waitFor(1);
    assert.deepEqual(Object.keys(got.form.auth), OAUTH_AUTH);
    assert.equal(got.form.auth.user_id, String(userId));
    assert.equal(got.form.auth.status, 'L');
    assert.equal(got.form.auth.expires_in, '3600');
    assert.equal(got.form.auth.expires, String(Math.floor(clock.now() / 1000) + 3600));
    assert.equal(got.form.auth.application_token, app.application_token);
    const bot = got.form.data.BOT[botId];
    assert.deepEqual(Object.keys(bot), [...OAUTH_BOT, 'AUTH', 'BOT_ID', 'BOT_CODE']);
    assert.equal(bot.client_id, 'local.shape.oauth');
    assert.equal(bot.user_id, String(botId));
    const { AUTH, BOT_ID, BOT_CODE, ...flat } = bot;
    assert.deepEqual(AUTH, flat);
    // The handler can call back with them: as the bot, and as the user who wrote.
    const asBot = await fetch(`${base}user.current?auth=${bot.access_token}`).then((r) => r.json());
    assert.equal(asBot.result.ID, String(botId));
    const asUser = await fetch(`${base}user.current?auth=${got.form.auth.access_token}`).then((r) => r.json());
    assert.equal(asUser.result.ID, String(userId));

    // ONIMBOTJOINCHAT: data[USER] six keys, no auth[refresh_token] (registered without sendRefreshToken).
    handler.received.length = 0;
    await emit({
      event: 'ONIMBOTJOINCHAT',
      botIds: [botId],
      userId,
      dialogId: String(userId),
      params: { CHAT_TYPE: 'P', MESSAGE_TYPE: 'P', BOT_ID: botId, USER_ID: userId, DIALOG_ID: String(userId) },
    });
    const [joined] = await handler.waitFor(1);
    assert.deepEqual(
      Object.keys(joined.form.auth),
      OAUTH_AUTH.filter((k) => k !== 'refresh_token'),
    );
    assert.deepEqual(Object.keys(joined.form.data.USER), [
      'ID',
      'NAME',
      'FIRST_NAME',
      'LAST_NAME',
      'WORK_POSITION',
      'GENDER',
    ]);
    assert.deepEqual(Object.keys(joined.form.data.PARAMS), [
      'CHAT_TYPE',
      'MESSAGE_TYPE',
      'BOT_ID',
      'USER_ID',
      'DIALOG_ID',
    ]);

    // ONIMBOTDELETE: flat data, and no refresh_token (the page's example).
    handler.received.length = 0;
    await emit({ event: 'ONIMBOTDELETE', botIds: [botId], userId, dialogId: '', params: {} });
    const [deleted] = await handler.waitFor(1);
    assert.deepEqual(deleted.form.data, { BOT_ID: String(botId), BOT_CODE: 'oauth_bot' });
    assert.deepEqual(
      Object.keys(deleted.form.auth),
      OAUTH_AUTH.filter((k) => k !== 'refresh_token'),
    );
  });

  it('sends ONIMCOMMANDADD to the command’s handler with data[COMMAND] instead of data[BOT]', async () => {
    const commands = new HandlerStub();
    await commands.start();
    try {
      await emit({
        event: 'ONIMCOMMANDADD',
        botIds: [webhookBot],
        userId,
        dialogId: String(userId),
        commandId: 103,
        command: { command: 'echo', params: 'test', context: 'TEXTAREA', messageId: 33899, handler: commands.url },
        params: { MESSAGE: '/echo test', MESSAGE_ID: 33899, DIALOG_ID: String(userId) },
      });
      const [got] = await commands.waitFor(1);
      assert.equal(got.form.event, 'ONIMCOMMANDADD');
      assert.deepEqual(Object.keys(got.form.data), ['COMMAND', 'PARAMS', 'USER']);
      const entry = got.form.data.COMMAND['103'];
      assert.equal(entry.BOT_ID, String(webhookBot));
      assert.equal(entry.BOT_CODE, 'shape_bot');
      assert.equal(entry.COMMAND, 'echo');
      assert.equal(entry.COMMAND_ID, '103');
      assert.equal(entry.COMMAND_PARAMS, 'test');
      assert.equal(entry.COMMAND_CONTEXT, 'TEXTAREA');
      assert.equal(entry.MESSAGE_ID, '33899');
      assert.equal(entry.application_token, got.form.auth.application_token);
      // data[USER] six keys for ONIMCOMMANDADD (CIMRestService::onCommandAdd has no IS_* flags)
      assert.deepEqual(Object.keys(got.form.data.USER), [
        'ID',
        'NAME',
        'FIRST_NAME',
        'LAST_NAME',
        'WORK_POSITION',
        'GENDER',
      ]);
    } finally {
      await commands.down();
    }
  });

  it('addresses several bots of one application in one POST (data[BOT] is keyed by bot id)', async () => {
    const second = await botWithHandler(server, 'shape', 'shape_bot_2', handler.url);
    handler.received.length = 0;
    await emit({ ...message(webhookBot), botIds: [second, webhookBot], dialogId: 'chat7' });
    const [got] = await handler.waitFor(1);
    assert.deepEqual(Object.keys(got.form.data.BOT).sort(), [String(webhookBot), String(second)].sort());
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(handler.received.length, 1);
  });

  it('leaves data[USER] out and sends no user tokens when no user fired the event', async () => {
    handler.received.length = 0;
    await emit({ ...message(webhookBot), userId: 0 });
    const [got] = await handler.waitFor(1);
    assert.deepEqual(Object.keys(got.form.data), ['BOT', 'PARAMS']);
    assert.deepEqual(
      Object.keys(got.form.auth),
      WEBHOOK_AUTH.filter((k) => k !== 'user_id'),
    );
  });
});
