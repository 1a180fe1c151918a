import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../../src/clock.ts';
import { pullFeature } from '../../src/realtime/pull-feature.ts';
import { atom } from '../../src/wire/envelope.ts';
import { startTestServer, type TestServer } from '../helpers/harness.ts';
import { appToken, pullConfig, TestSocket, v5Url } from '../helpers/pull.ts';

describe('user.current', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it("answers the webhook's user with the documented fields", async () => {
    const res = await server.call('user.current');
    assert.equal(res.status, 200);
    assert.equal(res.body.result.ID, '1');
    assert.equal(res.body.result.NAME, 'Admin');
    assert.equal(res.body.result.EMAIL, 'admin@b24.local');
    assert.deepEqual(res.body.result.UF_DEPARTMENT, [1]);
  });

  it('user_brief leaves out contacts', async () => {
    const hook = await server.app.domain.identities.createWebhook(1, ['user_brief'], 'brief');
    const res = await server.call('user.current', {}, `${server.url}/rest/1/${hook.token}/`);
    assert.equal(res.body.result.NAME, 'Admin');
    assert.equal(res.body.result.EMAIL, undefined);
  });
});

describe('LAST_ACTIVITY_DATE / IS_ONLINE for active users', () => {
  let server: TestServer;
  const clock = new ManualClock(Date.parse('2026-03-04T09:00:00Z'));
  before(async () => {
    server = await startTestServer({ clock, features: [pullFeature()] });
  });
  after(() => server.close());

  it('a user calling REST is online, active since the call; a minute later the date moves on', async () => {
    const first = (await server.call('user.current')).body.result;
    assert.equal(first.IS_ONLINE, 'Y');
    assert.equal(first.LAST_ACTIVITY_DATE, atom(clock.now()));
    clock.advance(30_000);
    assert.equal((await server.call('user.current')).body.result.LAST_ACTIVITY_DATE, first.LAST_ACTIVITY_DATE);
    clock.advance(60_000);
    const later = (await server.call('user.get', { ID: 1 })).body.result[0];
    assert.equal(later.LAST_ACTIVITY_DATE, atom(clock.now()));
    assert.equal(later.IS_ONLINE, 'Y');
  });

  it('a user connected to Push & Pull is online without calling REST', async () => {
    const ann = await server.app.domain.users.create({ name: 'Ann' });
    const view = async () =>
      (await server.call('user.get', { ID: ann.id, select: ['IS_ONLINE', 'LAST_ACTIVITY_DATE'] })).body.result[0];
    assert.deepEqual(await view(), { IS_ONLINE: 'N', LAST_ACTIVITY_DATE: '' });
    const config = await pullConfig(server, (await appToken(server, ann.id)).token); // a REST call of Ann's
    clock.advance(60 * 60_000); // an hour later she is offline…
    assert.equal((await view()).IS_ONLINE, 'N');
    const socket = await TestSocket.open(v5Url(config)); // …until her messenger connects
    try {
      assert.deepEqual(await view(), { IS_ONLINE: 'Y', LAST_ACTIVITY_DATE: atom(clock.now()) });
    } finally {
      socket.close();
    }
  });
});
