import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { B24OAuth } from '@bitrix24/b24jssdk';
import { loadConfig } from '../../src/config/config.ts';
import { SNAPSHOT_SESSION } from '../../src/control/snapshot.ts';
import { start } from '../../src/main.ts';
import { type B24Local, startB24Local } from '../../src/testing.ts';
import { eventually, HandlerStub } from '../helpers/handler.ts';
import { testDatabase } from '../helpers/harness.ts';

/** The control API under /_b24local/ over HTTP, and the same server driven in-process (src/testing.ts). */
describe('control API', () => {
  let b24: B24Local;
  let hook: string;
  let person: number;
  let botId: number;
  let v2BotId: number;
  let sdk: B24OAuth;
  const handler = new HandlerStub();

  const control = async (method: string, path: string, body?: unknown, token: string | null = b24.adminToken) => {
    const res = await fetch(`${b24.url}/_b24local/${path}`, {
      method,
      headers: {
        ...(token === null ? {} : { authorization: `Bearer ${token}` }),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() };
  };
  const rest = async (method: string, params: Record<string, unknown> = {}) => {
    const res = await fetch(`${hook}${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(params),
    });
    return { status: res.status, body: await res.json() };
  };

  before(async () => {
    await handler.start();
    const db = await testDatabase();
    await db.close();
    b24 = await startB24Local({
      databaseUrl: db.url,
      // Retries on: the fault test fails a delivery twice (the default is a portal's one attempt).
      deliveryMaxAttempts: 20,
      env: { B24_TYPING_TTL: '1', B24_DELIVERY_RETRY_MIN: '1', B24_DELIVERY_RETRY_MAX: '1' },
    });
    hook = await b24.webhookUrl(1);
    person = (await rest('user.add', { NAME: 'Pat', EMAIL: 'pat@example.com', UF_DEPARTMENT: [1] })).body.result;
    botId = (
      await rest('imbot.register', {
        CODE: 'echo',
        EVENT_HANDLER: handler.url,
        PROPERTIES: { NAME: 'Echo' },
        CLIENT_ID: 'echo',
      })
    ).body.result;
    v2BotId = (
      await rest('imbot.v2.Bot.register', {
        fields: { code: 'agent', botToken: 'agent-token', properties: { name: 'Agent' } },
      })
    ).body.result.bot.id;
  });
  after(async () => {
    await b24?.stop();
    await handler.down();
  });

  it('health answers without auth; everything else needs the admin token', async () => {
    const health = await control('GET', 'health', undefined, null);
    assert.equal(health.status, 200);
    assert.equal(health.body.status, 'ok');
    assert.match(health.body.version, /^\d+\.\d+\.\d+/);
    assert.equal(typeof health.body.uptime, 'number');
    for (const token of [null, 'wrong']) {
      const res = await control('GET', 'clock', undefined, token);
      assert.equal(res.status, 401);
      assert.equal(res.body.error, 'NO_AUTH_FOUND');
    }
  });

  it('bad params answer 400 naming the param; an unknown fault code is refused', async () => {
    const cases: [string, string, unknown, RegExp][] = [
      ['POST', 'clock', {}, /^action is required/],
      ['POST', 'clock', { action: 'rewind' }, /^action must be one of/],
      ['POST', 'clock', { action: 'advance', seconds: -1 }, /^seconds must be/],
      ['POST', 'say', { dialogId: String(botId), message: 'hi' }, /^from is required/],
      ['POST', 'say', { from: botId, dialogId: '1', message: 'hi' }, /^from must be the id of an active person/],
      ['POST', 'say', { from: person, dialogId: String(botId), message: '' }, /^message must be/],
      ['GET', 'wait?dialogId=1', undefined, /^user is required/],
      ['GET', `wait?user=${person}&dialogId=1&timeout=soon`, undefined, /^timeout must be/],
      ['POST', 'faults', { method: 'user.get', error: 'NO_SUCH_CODE' }, /^error NO_SUCH_CODE is no error code/],
      ['POST', 'faults', { method: 'user.get', error: 'QUERY_LIMIT_EXCEEDED', times: 0 }, /^times must be/],
      ['POST', 'faults', { delivery: 'explode' }, /^delivery must be one of/],
      ['GET', 'requests?status=teapot', undefined, /^status must be/],
    ];
    for (const [method, path, body, description] of cases) {
      const res = await control(method, path, body);
      assert.equal(res.status, 400, `${method} ${path} ${JSON.stringify(res.body)}`);
      assert.equal(res.body.error, 'INVALID_REQUEST');
      assert.match(res.body.error_description, description);
    }
  });

  it('a frozen clock keeps typing on past its TTL; advancing ends it', async () => {
    await control('POST', 'clock', { action: 'freeze' });
    try {
      const frozenAt = (await control('GET', 'clock')).body.now;
      assert.equal(
        (await rest('imbot.chat.sendTyping', { BOT_ID: botId, DIALOG_ID: String(person), CLIENT_ID: 'echo' })).status,
        200,
      );
      // B24_TYPING_TTL is 1 s: let more than that pass on the real clock.
      const realStart = Date.now();
      await eventually(() => Date.now() - realStart > 1500);
      assert.equal((await control('GET', 'clock')).body.now, frozenAt, 'frozen');
      const seen = await control('GET', `wait?user=${person}&dialogId=${botId}&for=typing&timeout=0`);
      assert.equal(seen.status, 200, JSON.stringify(seen.body));
      assert.equal(seen.body.typing.userId, botId);
      await control('POST', 'clock', { action: 'advance', seconds: 2 });
      const gone = await control('GET', `wait?user=${person}&dialogId=${botId}&for=typing&timeout=0`);
      assert.equal(gone.status, 408);
      assert.equal(gone.body.error, 'WAIT_TIMEOUT');
      const stop = b24.requests({ kind: 'pull', method: 'im.stopWriting' });
      assert.equal(stop[0]?.dialogId, String(botId));
    } finally {
      await control('POST', 'clock', { action: 'resume' });
    }
  });

  it('InputAction.notify for 60 s: still on after 59 s, gone after 61 s', async () => {
    b24.clock.freeze();
    try {
      const res = await rest('imbot.v2.Chat.InputAction.notify', {
        botId: v2BotId,
        botToken: 'agent-token',
        dialogId: String(person),
        statusMessageCode: 'IMBOT_AGENT_ACTION_THINKING',
        duration: 60,
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      b24.clock.advance(59);
      const on = await b24.waitFor({ user: person, dialogId: String(v2BotId), for: 'typing', timeout: 0 });
      assert.equal(on.typing?.statusMessageCode, 'IMBOT_AGENT_ACTION_THINKING');
      b24.clock.advance(2);
      await assert.rejects(b24.waitFor({ user: person, dialogId: String(v2BotId), for: 'typing', timeout: 0 }));
    } finally {
      b24.clock.resume();
    }
  });

  it('say and wait: the person writes to the bot, the bot answers, wait returns the answer', async () => {
    const said = await control('POST', 'say', { from: person, dialogId: String(botId), message: 'ping' });
    assert.equal(said.status, 200, JSON.stringify(said.body));
    const messageId = said.body.messageId;
    assert.equal(typeof messageId, 'number');
    await eventually(() =>
      handler.received.find((e) => e.form.event === 'ONIMBOTMESSAGEADD' && e.form.data.PARAMS.MESSAGE === 'ping'),
    );
    const waiting = control('GET', `wait?user=${person}&dialogId=${botId}&after=${messageId}&timeout=10000`);
    await rest('imbot.message.add', { BOT_ID: botId, DIALOG_ID: String(person), MESSAGE: 'pong', CLIENT_ID: 'echo' });
    const answer = await waiting;
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.equal(answer.body.message.text, 'pong');
    assert.equal(answer.body.message.author_id, botId);
    assert.ok(answer.body.message.id > messageId);
    const counters = await rest('im.counters.get');
    assert.equal(counters.status, 200);
    const late = await control(
      'GET',
      `wait?user=${person}&dialogId=${botId}&after=${answer.body.message.id}&timeout=0`,
    );
    assert.equal(late.status, 408);
  });

  it('an advanced clock expires an OAuth token and b24jssdk refreshes it by itself', async () => {
    const app = await fetch(`${b24.url}/admin/api/apps`, {
      method: 'POST',
      headers: { authorization: `Bearer ${b24.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ client_id: 'sdk.app', client_secret: 'sdk-secret' }),
    });
    assert.equal(app.status, 200);
    const grant = (await control('POST', '../admin/api/tokens', { client_id: 'sdk.app', user_id: 1 })).body.result;
    sdk = new B24OAuth(
      {
        applicationToken: '',
        userId: grant.user_id,
        memberId: grant.member_id,
        accessToken: grant.access_token,
        refreshToken: grant.refresh_token,
        expires: grant.expires,
        expiresIn: grant.expires_in,
        scope: grant.scope,
        domain: grant.domain,
        clientEndpoint: grant.client_endpoint,
        serverEndpoint: grant.server_endpoint,
        status: grant.status,
      } as ConstructorParameters<typeof B24OAuth>[0],
      { clientId: 'sdk.app', clientSecret: 'sdk-secret' },
    );
    sdk.offClientSideWarning();
    b24.clock.advance(3601);
    const direct = await fetch(`${b24.url}/rest/user.current?auth=${grant.access_token}`);
    assert.equal(direct.status, 401);
    assert.equal((await direct.json()).error, 'expired_token');
    const answer = await sdk.actions.v2.call.make({ method: 'user.current', params: {} });
    assert.equal((answer.getData() as { result: { ID: string } }).result.ID, '1');
    const calls = b24.requests({ kind: 'rest', method: 'user.current' });
    assert.equal(calls[0].status, 200);
    assert.ok(calls.some((c) => c.status === 401 && (c.answer as { error: string }).error === 'expired_token'));
  });

  it('an injected QUERY_LIMIT_EXCEEDED: the catalog answer, marked in the inspector, and b24jssdk retries', async () => {
    const added = await control('POST', 'faults', {
      method: 'user.*',
      error: 'QUERY_LIMIT_EXCEEDED',
      times: 1,
      app: 'sdk.app',
    });
    assert.equal(added.status, 200);
    const listed = await control('GET', 'faults');
    assert.equal(listed.body.items[0].id, added.body.id);
    // B24Hook insists on https; the OAuth client of the test before talks plain http to a local server.
    const answer = await sdk.actions.v2.call.make({ method: 'user.get', params: { ID: 1 } });
    assert.equal((answer.getData() as { result: { ID: string }[] }).result[0].ID, '1');
    const calls = b24.requests({ method: 'user.get' });
    assert.equal(calls[0].status, 200);
    assert.equal(calls[1].status, 503);
    assert.deepEqual(calls[1].answer, { error: 'QUERY_LIMIT_EXCEEDED', error_description: 'Too many requests' });
    assert.equal(calls[1].fault, added.body.id);
    assert.equal((await control('GET', 'faults')).body.items.length, 0, 'spent after one time');
    const removed = await control('DELETE', 'faults/f999');
    assert.equal(removed.status, 404);
  });

  it('the inspector: filters, newest first, secrets redacted, JSON export', async () => {
    await rest('imbot.message.add', {
      BOT_ID: botId,
      DIALOG_ID: String(person),
      MESSAGE: 'filtered',
      CLIENT_SECRET: 'x',
      CLIENT_ID: 'echo',
    });
    const res = await control(
      'GET',
      `requests?method=imbot.message.*&bot=${botId}&dialogId=${person}&status=200&limit=1`,
    );
    assert.equal(res.status, 200);
    assert.equal(res.body.items.length, 1);
    const [item] = res.body.items;
    assert.equal(item.method, 'imbot.message.add');
    assert.equal(item.params.MESSAGE, 'filtered');
    assert.equal(item.params.CLIENT_SECRET, '[redacted]');
    assert.equal(item.caller.type, 'webhook');
    assert.equal(typeof item.durationMs, 'number');
    assert.ok(Date.parse(item.at) > 0);
    const deliveries = await eventually(
      () => b24.requests({ kind: 'delivery', bot: botId }).length > 0 && b24.requests({ kind: 'delivery', bot: botId }),
    );
    const secrets = JSON.stringify(deliveries[0].params).match(/"[^"]*token[^"]*":"[^"]*"/gi) ?? [];
    assert.ok(secrets.length > 0, 'the payload names tokens');
    for (const pair of secrets) assert.match(pair, /:"\[redacted\]"$/);
    const exported = await fetch(`${b24.url}/_b24local/requests/export`, {
      headers: { authorization: `Bearer ${b24.adminToken}` },
    });
    assert.match(exported.headers.get('content-disposition') ?? '', /attachment/);
    assert.ok((await exported.json()).items.length > 3);
  });

  it('notes for the developer: a localhost handler is "Wrong handler URL" as on a portal, the inspector names B24_HANDLER_DOTLESS; sendTyping to no chat is true, noted', async () => {
    const refused = await rest('imbot.register', {
      CODE: 'local',
      EVENT_HANDLER: 'http://localhost:3000/bot',
      PROPERTIES: { NAME: 'Local' },
      CLIENT_ID: 'local',
    });
    assert.equal(refused.status, 400);
    assert.deepEqual(refused.body, { error: 'EVENT_MESSAGE_ADD_ERROR', error_description: 'Wrong handler URL' });
    const [register] = b24.requests({ method: 'imbot.register', limit: 1 });
    assert.equal(register.status, 400);
    assert.match(register.notes?.[0] ?? '', /B24_HANDLER_DOTLESS=on/);
    assert.match(register.notes?.[0] ?? '', /http:\/\/127\.0\.0\.1:3000\/bot/);
    const typing = await rest('imbot.chat.sendTyping', { BOT_ID: botId, DIALOG_ID: 'chat999999', CLIENT_ID: 'echo' });
    assert.equal(typing.body.result, true);
    const [item] = b24.requests({ method: 'imbot.chat.sendTyping', limit: 1 });
    assert.match(item.notes?.[0] ?? '', /cannot type in this dialog/);
    const plain = await rest('imbot.chat.sendTyping', { BOT_ID: botId, DIALOG_ID: String(person), CLIENT_ID: 'echo' });
    assert.equal(plain.body.result, true);
    assert.equal(b24.requests({ method: 'imbot.chat.sendTyping', limit: 1 })[0].notes, undefined);
  });

  it('a replayed delivery reaches the handler again with the same X-B24-Event-Id', async () => {
    await control('POST', 'say', { from: person, dialogId: String(botId), message: 'replay me' });
    const first = await eventually(() => handler.received.find((r) => r.form.data?.PARAMS?.MESSAGE === 'replay me'));
    const deliveryId = Number(first.headers['x-b24-delivery-id']);
    const replay = await control('POST', `deliveries/${deliveryId}/replay`);
    assert.equal(replay.status, 200, JSON.stringify(replay.body));
    const again = await eventually(() =>
      handler.received.find(
        (r) => r.eventId === first.eventId && r.headers['x-b24-delivery-id'] !== String(deliveryId),
      ),
    );
    assert.equal(again.form.data.PARAMS.MESSAGE, 'replay me');
    assert.equal((await control('POST', 'deliveries/999999/replay')).status, 404);
  });

  it('delivery faults: fail twice, then the retry gets through', async () => {
    await control('POST', 'faults', { delivery: 'fail', bot: botId, times: 2 });
    await b24.say(person, String(botId), 'flaky');
    await eventually(() => handler.received.find((r) => r.form.data?.PARAMS?.MESSAGE === 'flaky'), 20_000);
    // The inspector records an attempt once its answer is read, a moment after the handler has it.
    const flaky = () =>
      b24.requests({ kind: 'delivery', bot: botId }).filter((d) => (d.params as any).data.PARAMS?.MESSAGE === 'flaky');
    const attempts = await eventually(() => flaky().length === 3 && flaky());
    assert.deepEqual(
      attempts.map((a) => a.status),
      [200, null, null],
    );
    assert.ok(attempts[1].fault && attempts[2].fault);
    // One delivery's attempts, as the deliveries admin page asks for them.
    const one = await control('GET', `requests?delivery=${attempts[0].deliveryId}`);
    assert.deepEqual(
      one.body.items.map((i: { id: number }) => i.id),
      attempts.map((a) => a.id),
    );
  });

  it('reset returns to the start state: no trace of what came before', async () => {
    await control('POST', 'faults', { method: '*', latencyMs: 1 });
    b24.clock.freeze();
    b24.clock.advance(100);
    const res = await control('POST', 'reset');
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(typeof res.body.durationMs, 'number');
    assert.equal((await control('GET', 'faults')).body.items.length, 0);
    assert.equal(b24.clock.state().frozen, false);
    assert.ok(Math.abs(b24.clock.state().offsetMs) < 1000);
    assert.equal(b24.requests().length, 0);
    const old = await fetch(`${hook}user.get`);
    assert.equal(old.status, 401, 'the webhook made after start is gone');
    hook = await b24.webhookUrl(1);
    const users = await rest('user.get');
    assert.deepEqual(
      users.body.result.map((u: { ID: string }) => u.ID),
      ['1'],
    );
    const bots = await rest('imbot.bot.list');
    assert.deepEqual(bots.body.result, []);
    const again = await rest('user.add', { NAME: 'Pat', EMAIL: 'pat@example.com', UF_DEPARTMENT: [1] });
    assert.equal(again.body.result, person, 'ids start over');
  });
});

describe('startB24Local options', () => {
  it('handlerDotless: true takes a handler on localhost, which the default refuses as a portal does', async () => {
    const db = await testDatabase();
    await db.close();
    const b24 = await startB24Local({ databaseUrl: db.url, handlerDotless: true });
    try {
      const res = await fetch(`${await b24.webhookUrl(1)}imbot.register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          CODE: 'local',
          EVENT_HANDLER: 'http://localhost:3000/bot',
          PROPERTIES: { NAME: 'Local' },
          CLIENT_ID: 'local',
        }),
      });
      assert.equal(res.status, 200, await res.clone().text());
      assert.equal(typeof (await res.json()).result, 'number');
    } finally {
      await b24.stop();
    }
  });
});

describe('control API off', () => {
  it('B24_CONTROL=off: no /_b24local/ path exists', async () => {
    const db = await testDatabase();
    const config = loadConfig({ LOG_LEVEL: 'silent', PORT: '0', DATABASE_URL: db.url, B24_CONTROL: 'off' });
    const server = await start(config);
    try {
      const res = await fetch(`${server.base}/_b24local/health`);
      assert.equal(res.status, 404);
      assert.equal(server.control, undefined);
      const sessions = await db.query(
        'SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1',
        [SNAPSHOT_SESSION],
      );
      assert.deepEqual(sessions, [], 'no start state is kept');
    } finally {
      await server.stop();
      await db.close();
    }
  });
});
