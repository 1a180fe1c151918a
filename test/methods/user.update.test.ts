import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../helpers/harness.ts';
import { PNG_1X1 } from '../helpers/images.ts';

describe('user.update', () => {
  let server: TestServer;
  let userId: number;
  let userHook: string;

  before(async () => {
    server = await startTestServer();
    const user = await server.app.domain.users.create({ name: 'Old', email: 'old@example.com' });
    userId = user.id;
    const hook = await server.app.domain.identities.createWebhook(userId, [], 'own');
    userHook = `${server.url}/rest/${userId}/${hook.token}/`;
  });
  after(() => server.close());

  const get = async (id: number) => (await server.call('user.get', { ID: id, select: ['*'] })).body.result[0];

  it('changes columns and column-less fields, keeping the others', async () => {
    const first = await server.call('user.update', { ID: userId, NAME: 'New', WORK_COMPANY: 'Acme', UF_SKYPE: 'x' });
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.equal(first.body.result, true);
    const second = await server.call('user.update', { id: String(userId), work_company: 'Globex' });
    assert.equal(second.body.result, true);
    const user = await get(userId);
    assert.equal(user.NAME, 'New');
    assert.equal(user.WORK_COMPANY, 'Globex');
    assert.equal(user.UF_SKYPE, 'x');
    assert.equal(user.EMAIL, 'old@example.com');
  });

  it('PERSONAL_PHOTO [name, base64] is stored and shown as a link; empty removes it; not an image → ERROR_CORE', async () => {
    const set = await server.call('user.update', { ID: userId, PERSONAL_PHOTO: ['me.png', PNG_1X1] });
    assert.equal(set.body.result, true, JSON.stringify(set.body));
    const photo = (await get(userId)).PERSONAL_PHOTO;
    assert.match(photo, new RegExp(`^${server.url}/upload/avatar/[0-9a-f]{32}\\.png$`));
    const bad = await server.call('user.update', {
      ID: userId,
      PERSONAL_PHOTO: ['x.png', Buffer.from('text').toString('base64')],
    });
    assert.deepEqual(bad.body, { error: 'ERROR_CORE', error_description: 'PERSONAL_PHOTO: Avatar incorrect type' });
    assert.equal((await get(userId)).PERSONAL_PHOTO, photo, 'a failed update changes nothing');
    const logo = await server.call('user.update', { ID: userId, WORK_LOGO: PNG_1X1 });
    assert.equal(logo.body.result, true);
    assert.match((await get(userId)).WORK_LOGO, /\/upload\/avatar\/[0-9a-f]{32}\.png$/);
    await server.call('user.update', { ID: userId, PERSONAL_PHOTO: '' });
    assert.equal((await get(userId)).PERSONAL_PHOTO, '');
  });

  it('a multipart upload of PERSONAL_PHOTO works like the JSON pair', async () => {
    const form = new FormData();
    form.append('ID', String(userId));
    form.append('PERSONAL_PHOTO', new Blob([Buffer.from(PNG_1X1, 'base64')]), 'me.png');
    const res = await fetch(`${server.webhook}user.update`, { method: 'POST', body: form });
    assert.equal((await res.json()).result, true);
    assert.match((await get(userId)).PERSONAL_PHOTO, /\/upload\/avatar\/[0-9a-f]{32}\.png$/);
  });

  it('ACTIVE=N dismisses: the user is inactive and their webhook stops working', async () => {
    const before = await server.call('user.current', {}, userHook);
    assert.equal(before.status, 200);
    const res = await server.call('user.update', { ID: userId, ACTIVE: 'N' });
    assert.equal(res.body.result, true);
    assert.equal((await get(userId)).ACTIVE, false);
    const after = await server.call('user.current', {}, userHook);
    assert.equal(after.status, 401);
    assert.equal(after.body.error, 'NO_AUTH_FOUND');
    await server.call('user.update', { ID: userId, ACTIVE: 'Y' });
    assert.equal((await server.call('user.current', {}, userHook)).status, 200);
  });

  const errors: [string, Record<string, unknown>, string][] = [
    ['no ID', { NAME: 'x' }, 'access_denied'],
    ['ID zero', { ID: 0, NAME: 'x' }, 'access_denied'],
    ['ID not a number', { ID: 'abc' }, 'access_denied'],
    ['an unknown ID', { ID: 999999 }, ''],
    ['an ID beyond the integer range', { ID: '999999999999999' }, 'access_denied'],
    ['a bad e-mail', { ID: 1, EMAIL: 'nope' }, 'EMAIL: wrong_email'],
    ['an e-mail in use', { ID: 1, EMAIL: 'old@example.com' }, 'A user with this email already exists'],
    ['a bad ACTIVE', { ID: 1, ACTIVE: 'maybe' }, 'ACTIVE: must be Y or N'],
  ];
  for (const [name, params, description] of errors) {
    it(`${name} → ERROR_CORE "${description}"`, async () => {
      const res = await server.call('user.update', params);
      assert.equal(res.status, 400);
      assert.deepEqual(res.body, { error: 'ERROR_CORE', error_description: description });
    });
  }

  it('a bot cannot be edited as a user', async () => {
    const bot = await server.call('imbot.register', {
      CODE: 'b',
      EVENT_HANDLER: 'http://127.0.0.1:9/h',
      PROPERTIES: { NAME: 'Bot' },
      CLIENT_ID: 'c',
    });
    assert.ok(bot.body.result > 0, JSON.stringify(bot.body));
    const res = await server.call('user.update', { ID: bot.body.result, NAME: 'Renamed' });
    assert.deepEqual(res.body, { error: 'ERROR_CORE', error_description: '' });
  });

  it('a non-admin, even on their own profile → access_denied', async () => {
    const res = await server.call('user.update', { ID: userId, NAME: 'Self' }, userHook);
    assert.deepEqual(res.body, { error: 'ERROR_CORE', error_description: 'access_denied' });
  });
});
