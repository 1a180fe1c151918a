import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eventDelivery } from '../../src/delivery/event-delivery.ts';
import { FAST, HandlerStub, oauthToken } from '../helpers/handler.ts';
import { startTestServer, type TestServer } from '../helpers/harness.ts';

const H = 'http://127.0.0.1:9/events';

describe('event.bind, event.unbind, event.get, events, event.test', () => {
  const handler = new HandlerStub();
  let server: TestServer;
  let admin: string; // user 1, an administrator, in application local.events (scopes: imbot)
  let user: string; // a user without admin rights in the same application
  let userId: number;
  let narrow: string; // user 1 in an application with the `user` scope only

  const call = async (method: string, token: string | null, params: Record<string, unknown> = {}) => {
    const res = await fetch(token ? `${server.url}/rest/${method}` : `${server.webhook}${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(token ? { ...params, auth: token } : params),
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  const fails = (res: { status: number; body: any }, status: number, code: string, description?: string) => {
    assert.equal(res.status, status, JSON.stringify(res.body));
    assert.equal(res.body.error, code);
    if (description !== undefined) assert.equal(res.body.error_description, description);
  };

  before(async () => {
    await handler.start();
    server = await startTestServer({ config: { delivery: FAST }, features: [eventDelivery({ adminToken: 'a' })] });
    admin = await oauthToken(server, 'local.events', ['imbot']);
    userId = (await server.app.domain.users.create({ name: 'Plain', last_name: 'User' })).id;
    const app = (await server.app.domain.identities.appByClientId('local.events'))!;
    user = (await server.app.domain.identities.issueTokens(app, userId)).access_token;
    narrow = await oauthToken(server, 'local.narrow', ['user']);
  });
  after(async () => {
    await server.close();
    await handler.down();
  });

  it('works in an application context only', async () => {
    for (const method of ['event.bind', 'event.unbind', 'event.get', 'events', 'event.test', 'event.offline.get']) {
      fails(await call(method, null, { event: 'ONAPPTEST', handler: H }), 403, 'WRONG_AUTH_TYPE');
    }
  });

  it('binds, lists and refuses the same subscription twice', async () => {
    assert.deepEqual((await call('event.bind', admin, { event: 'onAppTest', handler: H })).body.result, true);
    fails(
      await call('event.bind', admin, { EVENT: 'ONAPPTEST', HANDLER: H }),
      400,
      'ERROR_CORE',
      'Unable to set event handler: Handler already binded',
    );
    const list = await call('event.get', admin);
    assert.deepEqual(list.body.result, [{ event: 'ONAPPTEST', handler: H, auth_type: '0', offline: 0 }]);
  });

  it('answers the documented errors for bad params', async () => {
    fails(await call('event.bind', admin, { handler: H }), 400, 'ERROR_ARGUMENT', "Argument 'EVENT' is null or empty");
    fails(
      await call('event.bind', admin, { event: 'ONAPPTEST' }),
      400,
      'ERROR_ARGUMENT',
      "Argument 'HANDLER' is null or empty",
    );
    fails(
      await call('event.bind', admin, { event: 'ONAPPTEST', handler: H, event_type: 'sometimes' }),
      400,
      'ERROR_ARGUMENT',
      'Value must be one of {online|offline}',
    );
    fails(
      await call('event.bind', admin, { event: 'ONNOTHING', handler: H }),
      400,
      'ERROR_EVENT_NOT_FOUND',
      'Event not found',
    );
    fails(
      await call('event.bind', admin, { event: 'ONAPPTEST', handler: 'ftp://h.example/x' }),
      400,
      'ERROR_UNSUPPORTED_PROTOCOL',
    );
    fails(
      await call('event.bind', admin, { event: 'ONAPPTEST', handler: 'not a url' }),
      400,
      'ERROR_WRONG_HANDLER_URL',
    );
    fails(
      await call('event.bind', admin, { event: 'ONOFFLINEEVENT', event_type: 'offline' }),
      400,
      'ERROR_ARGUMENT',
      'Offline event cannot be registered for this event.',
    );
  });

  it('offers an event only to applications with its scope', async () => {
    fails(await call('event.bind', narrow, { event: 'ONIMBOTMESSAGEADD', handler: H }), 400, 'ERROR_EVENT_NOT_FOUND');
    assert.equal((await call('event.bind', admin, { event: 'ONIMBOTMESSAGEADD', handler: H })).body.result, true);
    const basic = ['ONAPPUNINSTALL', 'ONAPPINSTALL', 'ONAPPUPDATE', 'ONAPPPAYMENT', 'ONAPPTEST'];
    const mine = (await call('events', narrow)).body.result;
    assert.deepEqual(mine.slice(0, 5), basic);
    assert.ok(!mine.includes('ONIMBOTMESSAGEADD'));
    assert.ok((await call('events', admin)).body.result.includes('ONIMCOMMANDADD'));
    assert.deepEqual((await call('events', narrow, { SCOPE: 'imbot' })).body.result, [
      'ONIMBOTMESSAGEADD',
      'ONIMBOTMESSAGEUPDATE',
      'ONIMBOTMESSAGEDELETE',
      'ONIMBOTJOINCHAT',
      'ONIMBOTDELETE',
      'ONIMCOMMANDADD',
    ]);
    assert.ok((await call('events', narrow, { FULL: true })).body.result.includes('ONIMBOTJOINCHAT'));
    assert.deepEqual((await call('events', narrow, { SCOPE: '' })).body.result, [
      ...basic,
      'ONAPPMETHODCONFIRM',
      'ONOFFLINEEVENT',
    ]);
  });

  it('limits users without admin rights to their own online subscriptions', async () => {
    fails(
      await call('event.bind', user, { event: 'ONAPPTEST', handler: H, auth_type: 1 }),
      403,
      'ACCESS_DENIED',
      'Access denied! Event binding with AUTH_TYPE requires administrator access rights',
    );
    fails(
      await call('event.bind', user, { event: 'ONAPPTEST', event_type: 'offline' }),
      403,
      'ACCESS_DENIED',
      'Access denied! Offline events binding requires administrator access rights',
    );
    assert.equal((await call('event.bind', user, { event: 'ONAPPTEST', handler: `${H}/user` })).body.result, true);
    assert.deepEqual((await call('event.get', user)).body.result, [
      { event: 'ONAPPTEST', handler: `${H}/user`, auth_type: String(userId), offline: 0 },
    ]);
    assert.equal((await call('event.get', admin)).body.result.length, 3);
    // The rest module compares a user's AUTH_TYPE strictly with their id: a string never passes.
    fails(
      await call('event.unbind', user, { event: 'ONAPPTEST', handler: `${H}/user`, auth_type: String(userId) }),
      403,
      'ACCESS_DENIED',
      'Access denied! Event unbinding with AUTH_TYPE requires administrator access rights',
    );
    fails(
      await call('event.unbind', user, { event: 'ONAPPTEST', event_type: 'offline' }),
      403,
      'ACCESS_DENIED',
      'Access denied! Offline events unbinding requires administrator access rights',
    );
    // A user's unbind only reaches their own subscription, even for the administrator's URL.
    assert.deepEqual((await call('event.unbind', user, { event: 'ONAPPTEST', handler: H })).body.result, { count: 0 });
    assert.deepEqual((await call('event.unbind', user, { event: 'ONAPPTEST', handler: `${H}/user` })).body.result, {
      count: 1,
    });
  });

  it('unbinds by event and handler, counting what went', async () => {
    fails(
      await call('event.unbind', admin, { event: 'ONAPPTEST' }),
      400,
      'ERROR_ARGUMENT',
      "Argument 'HANDLER' is null or empty",
    );
    assert.deepEqual((await call('event.unbind', admin, { event: 'ONAPPTEST', handler: H })).body.result, { count: 1 });
    assert.deepEqual((await call('event.unbind', admin, { event: 'ONAPPTEST', handler: H })).body.result, { count: 0 });
    assert.deepEqual((await call('event.get', admin)).body.result, [
      { event: 'ONIMBOTMESSAGEADD', handler: H, auth_type: '0', offline: 0 },
    ]);
  });

  it('event.test posts ONAPPTEST with the call’s params to the application’s handlers', async () => {
    assert.equal((await call('event.bind', admin, { event: 'ONAPPTEST', handler: handler.url })).body.result, true);
    const [binding] = await server.db.query<{ id: number }>(
      `SELECT id FROM event_handlers WHERE event = 'ONAPPTEST' AND handler = $1`,
      [handler.url],
    );
    const res = await call('event.test', admin, { any: 'data', list: [1, 2] });
    assert.equal(res.status, 200);
    assert.equal(res.body.result, 1);
    const [got] = await handler.waitFor(1);
    assert.equal(got.form.event, 'ONAPPTEST');
    assert.equal(got.form.event_handler_id, String(binding.id));
    assert.deepEqual(got.form.data, { QUERY: { any: 'data', list: { 0: '1', 1: '2' } }, LANGUAGE_ID: 'en' });
    const app = (await server.app.domain.identities.appByClientId('local.events'))!;
    assert.equal(got.form.auth.application_token, app.application_token);
    assert.equal(got.form.auth.user_id, '1');
    assert.equal(got.form.auth.scope, 'imbot');
    assert.equal(got.form.auth.refresh_token, undefined, 'ONAPPTEST is not a long-lived event');
    // The application has no user scope: `profile` (basic) shows whose token it is.
    const asUser = await fetch(`${server.url}/rest/profile?auth=${got.form.auth.access_token}`).then((r) => r.json());
    assert.equal(asUser.result.ID, '1');
  });

  it('delivers a bound bot event beside the bot’s own handler, with the auth_type user’s tokens', async () => {
    const own = new HandlerStub();
    await own.start();
    try {
      await call('event.bind', admin, { event: 'ONIMBOTMESSAGEADD', handler: handler.url, auth_type: userId });
      const reg = await call('imbot.register', admin, {
        CODE: 'bound_bot',
        EVENT_HANDLER: own.url,
        PROPERTIES: { NAME: 'Bound' },
      });
      const botId = reg.body.result;
      handler.received.length = 0;
      await server.db.tx((tx) =>
        server.app.domain.events.emit(tx, {
          event: 'ONIMBOTMESSAGEADD',
          botIds: [botId],
          userId: 1,
          dialogId: '1',
          params: { DIALOG_ID: '1', MESSAGE: 'hi' },
        }),
      );
      const [ownGot] = await own.waitFor(1);
      const [boundGot] = await handler.waitFor(1);
      assert.equal(ownGot.eventId, boundGot.eventId);
      assert.notEqual(ownGot.form.event_handler_id, boundGot.form.event_handler_id);
      assert.equal(ownGot.form.auth.user_id, '1');
      assert.equal(boundGot.form.auth.user_id, String(userId));
      assert.deepEqual(Object.keys(boundGot.form.data.BOT), [String(botId)]);
    } finally {
      await own.down();
    }
  });
});
