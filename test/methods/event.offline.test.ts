import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../../src/clock.ts';
import { eventDelivery } from '../../src/delivery/event-delivery.ts';
import { FAST, HandlerStub, oauthToken } from '../helpers/handler.ts';
import { startTestServer, type TestServer } from '../helpers/harness.ts';

describe('offline events: event.bind event_type=offline and event.offline.*', () => {
  const clock = new ManualClock();
  const signals = new HandlerStub(); // ONOFFLINEEVENT
  let server: TestServer;
  let admin: string;
  let user: string;
  let botId: number;

  const call = async (method: string, params: Record<string, unknown> = {}, token = admin) => {
    const res = await fetch(`${server.url}/rest/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...params, auth: token }),
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  const fails = (res: { status: number; body: any }, status: number, code: string, description?: string) => {
    assert.equal(res.status, status, JSON.stringify(res.body));
    assert.equal(res.body.error, code);
    if (description !== undefined) assert.equal(res.body.error_description, description);
  };
  const message = (event: string, messageId: number, text: string) =>
    server.db.tx((tx) =>
      server.app.domain.events.emit(tx, {
        event: event as 'ONIMBOTMESSAGEADD',
        botIds: [botId],
        userId: 1,
        dialogId: '1',
        params: { DIALOG_ID: '1', MESSAGE_ID: messageId, MESSAGE: text },
      }),
    );

  before(async () => {
    await signals.start();
    server = await startTestServer({
      clock,
      config: { delivery: FAST },
      features: [eventDelivery({ adminToken: 'a' })],
    });
    admin = await oauthToken(server, 'local.offline');
    const app = (await server.app.domain.identities.appByClientId('local.offline'))!;
    const plain = await server.app.domain.users.create({ name: 'Plain' });
    user = (await server.app.domain.identities.issueTokens(app, plain.id)).access_token;
    botId = (
      await call('imbot.register', {
        CODE: 'offline_bot',
        EVENT_HANDLER: 'http://127.0.0.1:9/h',
        PROPERTIES: { NAME: 'O' },
      })
    ).body.result;
  });
  after(async () => {
    await server.close();
    await signals.down();
  });

  it('queues the latest state per message for an offline subscription and signals ONOFFLINEEVENT', async () => {
    assert.equal((await call('event.bind', { event: 'ONIMBOTMESSAGEADD', event_type: 'offline' })).body.result, true);
    assert.equal(
      (await call('event.bind', { event: 'ONIMBOTMESSAGEUPDATE', event_type: 'OFFLINE' })).body.result,
      true,
    );
    assert.equal((await call('event.bind', { event: 'ONOFFLINEEVENT', handler: signals.url })).body.result, true);
    assert.deepEqual((await call('event.get')).body.result, [
      { event: 'ONIMBOTMESSAGEADD', connector_id: '', offline: 1 },
      { event: 'ONIMBOTMESSAGEUPDATE', connector_id: '', offline: 1 },
      { event: 'ONOFFLINEEVENT', handler: signals.url, auth_type: '0', offline: 0 },
    ]);

    await message('ONIMBOTMESSAGEADD', 101, 'first');
    await message('ONIMBOTMESSAGEADD', 102, 'second');
    await message('ONIMBOTMESSAGEUPDATE', 101, 'first, edited');
    clock.advance(500);
    await message('ONIMBOTMESSAGEUPDATE', 101, 'first, edited again');

    const listed = await call('event.offline.list');
    assert.equal(listed.body.total, 3, 'two updates of one message are one row');
    const rows = listed.body.result;
    assert.deepEqual(
      rows.map((r: any) => [r.EVENT_NAME, r.EVENT_DATA.PARAMS.MESSAGE, r.PROCESS_ID, r.ERROR]),
      [
        ['ONIMBOTMESSAGEADD', 'first', '', '0'],
        ['ONIMBOTMESSAGEADD', 'second', '', '0'],
        ['ONIMBOTMESSAGEUPDATE', 'first, edited again', '', '0'],
      ],
    );
    const [row] = rows;
    assert.match(row.ID, /^\d+$/);
    assert.match(row.MESSAGE_ID, /^[0-9a-f]{32}$/);
    assert.match(row.TIMESTAMP_X, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
    assert.deepEqual(row.EVENT_DATA.BOT, { [botId]: { BOT_ID: botId, BOT_CODE: 'offline_bot' } });
    assert.deepEqual(row.EVENT_ADDITIONAL, { user_id: '1' });

    // One signal for the burst (minTimeout 1 s by default), with a refresh token as the page shows.
    const [signal] = await signals.waitFor(1);
    assert.equal(signal.form.event, 'ONOFFLINEEVENT');
    assert.equal(signal.form.data, undefined);
    assert.ok(signal.form.auth.refresh_token);
    clock.advance(1000);
    await message('ONIMBOTMESSAGEADD', 103, 'third');
    await signals.waitFor(2);
    assert.equal((await call('event.offline.list')).body.total, 4);
  });

  it('reserves with clear=0, re-reads by process_id, marks errors and clears', async () => {
    const first = await call('event.offline.get', { clear: 0, limit: 2 });
    const processId = first.body.result.process_id;
    assert.match(processId, /^[0-9a-f]{32}$/);
    assert.deepEqual(
      first.body.result.events.map((e: any) => e.EVENT_DATA.PARAMS.MESSAGE),
      ['first', 'second'],
    );
    assert.deepEqual(Object.keys(first.body.result.events[0]), [
      'ID',
      'TIMESTAMP_X',
      'EVENT_NAME',
      'EVENT_DATA',
      'EVENT_ADDITIONAL',
      'MESSAGE_ID',
    ]);
    // Reserved rows are hidden from the next reader, and listed with their PROCESS_ID.
    const second = await call('event.offline.get', { clear: 0, limit: 10 });
    assert.deepEqual(
      second.body.result.events.map((e: any) => e.EVENT_DATA.PARAMS.MESSAGE),
      ['first, edited again', 'third'],
    );
    const reserved = (await call('event.offline.list', { filter: { PROCESS_ID: processId } })).body.result;
    assert.equal(reserved.length, 2);
    const again = await call('event.offline.get', { process_id: processId, clear: 0 });
    assert.equal(again.body.result.process_id, processId);
    assert.equal(again.body.result.events.length, 2);

    const [bad, good] = first.body.result.events;
    assert.equal(
      (await call('event.offline.error', { process_id: processId, message_id: [bad.MESSAGE_ID] })).body.result,
      true,
    );
    assert.equal((await call('event.offline.clear', { process_id: processId, id: [good.ID] })).body.result, true);
    const errors = await call('event.offline.get', { error: 1 });
    assert.equal(errors.body.result.process_id, null);
    assert.deepEqual(
      errors.body.result.events.map((e: any) => e.ID),
      [bad.ID],
    );
    assert.equal((await call('event.offline.clear', { process_id: second.body.result.process_id })).body.result, true);
    assert.equal((await call('event.offline.list')).body.total, 0);
  });

  it('filters and orders as documented, and deletes what it returns by default', async () => {
    await message('ONIMBOTMESSAGEADD', 201, 'a');
    await message('ONIMBOTMESSAGEADD', 202, 'b');
    await message('ONIMBOTMESSAGEUPDATE', 201, 'a2');
    const updates = await call('event.offline.get', { filter: { '=EVENT_NAME': 'ONIMBOTMESSAGEUPDATE' } });
    assert.deepEqual(
      updates.body.result.events.map((e: any) => e.EVENT_DATA.PARAMS.MESSAGE),
      ['a2'],
    );
    const rest = await call('event.offline.get', { order: { ID: 'DESC' } });
    assert.deepEqual(
      rest.body.result.events.map((e: any) => e.EVENT_DATA.PARAMS.MESSAGE),
      ['b', 'a'],
    );
    assert.equal((await call('event.offline.get')).body.result.events.length, 0);
  });

  it('answers the documented errors', async () => {
    for (const method of ['event.offline.get', 'event.offline.list', 'event.offline.clear', 'event.offline.error']) {
      fails(await call(method, { process_id: 'x' }, user), 403, 'ACCESS_DENIED', 'Access denied!');
    }
    fails(await call('event.offline.clear'), 400, 'ERROR_ARGUMENT', "Argument 'PROCESS_ID' is null or empty");
    fails(
      await call('event.offline.error', { message_id: ['x'] }),
      400,
      'ERROR_ARGUMENT',
      "Argument 'PROCESS_ID' is null or empty",
    );
    fails(
      await call('event.offline.error', { process_id: 'p' }),
      400,
      'ERROR_ARGUMENT',
      'Value must be array of MESSAGE_ID values',
    );
    fails(
      await call('event.offline.clear', { process_id: 'p', message_id: ['short'] }),
      400,
      'ERROR_ARGUMENT',
      'Value must be array of MESSAGE_ID values',
    );
    fails(
      await call('event.offline.clear', { process_id: 'p', id: [0] }),
      400,
      'ERROR_ARGUMENT',
      'Value must be array of integers',
    );
    fails(await call('event.offline.get', { limit: 0 }), 400, 'ERROR_ARGUMENT', 'Value must be positive integer');
    fails(await call('event.offline.get', { filter: { '>PROCESS_ID': 'x' } }), 400, 'ERROR_ARGUMENT');
    fails(await call('event.offline.get', { filter: { '~ID': 1 } }), 400, 'ERROR_ARGUMENT');
    fails(await call('event.offline.list', { order: { MESSAGE: 'ASC' } }), 400, 'ERROR_ARGUMENT');
    assert.deepEqual((await call('event.unbind', { event: 'ONIMBOTMESSAGEADD', event_type: 'offline' })).body.result, {
      count: 1,
    });
  });
});
