import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../helpers/harness.ts';

describe('profile', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it('answers the caller in the documented shape, without any user scope', async () => {
    const hook = await server.app.domain.identities.createWebhook(1, ['imbot'], 'imbotonly');
    const res = await server.call('profile', {}, `${server.url}/rest/1/${hook.token}/`);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.result, {
      ID: '1',
      ADMIN: true,
      NAME: 'Admin',
      LAST_NAME: 'Local',
      PERSONAL_GENDER: '',
      TIME_ZONE: '',
    });
  });

  it('a stored photo is a link under this server', async () => {
    const user = await server.app.domain.users.create({ name: 'Pic', personal_photo: '/upload/avatar/abc.png' });
    const hook = await server.app.domain.identities.createWebhook(user.id, [], 'pic');
    const res = await server.call('profile', {}, `${server.url}/rest/${user.id}/${hook.token}/`);
    assert.equal(res.body.result.PERSONAL_PHOTO, `${server.url}/upload/avatar/abc.png`);
    const got = await server.call('user.get', { ID: user.id });
    assert.equal(got.body.result[0].PERSONAL_PHOTO, `${server.url}/upload/avatar/abc.png`);
  });

  it('ADMIN is false for an employee; PERSONAL_PHOTO appears when set', async () => {
    const user = await server.app.domain.users.create({
      name: 'Emp',
      personal_gender: 'F',
      time_zone: 'Europe/Berlin',
      personal_photo: 'https://example.com/p.png',
    });
    const hook = await server.app.domain.identities.createWebhook(user.id, [], 'emp');
    const res = await server.call('profile', {}, `${server.url}/rest/${user.id}/${hook.token}/`);
    assert.deepEqual(res.body.result, {
      ID: String(user.id),
      ADMIN: false,
      NAME: 'Emp',
      LAST_NAME: '',
      PERSONAL_GENDER: 'F',
      PERSONAL_PHOTO: 'https://example.com/p.png',
      TIME_ZONE: 'Europe/Berlin',
    });
  });
});
