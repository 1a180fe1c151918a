import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../helpers/harness.ts';
import { PNG_1X1 } from '../helpers/images.ts';

describe('user.add', () => {
  let server: TestServer;
  let employeeHook: string;

  before(async () => {
    server = await startTestServer();
    const employee = await server.app.domain.users.create({ name: 'Plain', email: 'plain@example.com' });
    const hook = await server.app.domain.identities.createWebhook(employee.id, [], 'employee');
    employeeHook = `${server.url}/rest/${employee.id}/${hook.token}/`;
  });
  after(() => server.close());

  it('creates an active user at once and answers its id as a number', async () => {
    const res = await server.call('user.add', {
      EMAIL: ' new.hire@example.com ',
      NAME: 'Нина',
      LAST_NAME: 'Hire 🚀',
      UF_DEPARTMENT: [1],
      WORK_COMPANY: 'Acme',
      PERSONAL_BIRTHDAY: '02.03.1995',
      PERSONAL_GENDER: 'f',
      PERSONAL_PHOTO: ['hire.png', PNG_1X1],
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(typeof res.body.result, 'number');
    const got = await server.call('user.get', { ID: res.body.result });
    const user = got.body.result[0];
    assert.equal(user.ACTIVE, true);
    assert.equal(user.EMAIL, 'new.hire@example.com');
    assert.equal(user.NAME, 'Нина');
    assert.equal(user.LAST_NAME, 'Hire 🚀');
    assert.equal(user.USER_TYPE, 'employee');
    assert.equal(user.WORK_COMPANY, 'Acme');
    assert.equal(user.PERSONAL_GENDER, 'F');
    assert.match(user.PERSONAL_BIRTHDAY, /^1995-03-02T00:00:00/);
    assert.match(user.PERSONAL_PHOTO, /^http:\/\/.+\/upload\/avatar\/[0-9a-f]{32}\.png$/);
  });

  it('form-encoded fields work too (UF_DEPARTMENT as a scalar)', async () => {
    const res = await fetch(`${server.webhook}user.add.json`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'email=form%40example.com&name=Form&uf_department=3',
    });
    const body = await res.json();
    assert.equal(res.status, 200, JSON.stringify(body));
    const got = await server.call('user.get', { ID: body.result });
    assert.deepEqual(got.body.result[0].UF_DEPARTMENT, [3]);
    assert.equal(got.body.result[0].NAME, 'Form');
  });

  it('an extranet user needs SONET_GROUP_ID and gets no department', async () => {
    const missing = await server.call('user.add', { EMAIL: 'ext@example.com', EXTRANET: 'Y' });
    assert.equal(missing.status, 400);
    assert.equal(missing.body.error, 'ERROR_GROUPID');
    const wrong = await server.call('user.add', { EMAIL: 'ext@example.com', EXTRANET: 'Y', SONET_GROUP_ID: ['x'] });
    assert.equal(wrong.body.error, 'ERROR_NO_GROUP');
    const ok = await server.call('user.add', { EMAIL: 'ext@example.com', EXTRANET: 'Y', SONET_GROUP_ID: [4] });
    assert.equal(ok.status, 200);
    const got = await server.call('user.get', { ID: ok.body.result });
    assert.equal(got.body.result[0].USER_TYPE, 'extranet');
    assert.deepEqual(got.body.result[0].UF_DEPARTMENT, []);
  });

  const errors: [string, Record<string, unknown>, number, string, string][] = [
    ['no EMAIL', { NAME: 'x', UF_DEPARTMENT: [1] }, 400, 'ERROR_ARGUMENT', 'wrong_email'],
    ['a bad EMAIL', { EMAIL: 'nope', UF_DEPARTMENT: [1] }, 400, 'ERROR_ARGUMENT', 'wrong_email'],
    ['EMAIL not a string', { EMAIL: { a: 1 }, UF_DEPARTMENT: [1] }, 400, 'ERROR_ARGUMENT', 'wrong_email'],
    ['an intranet user without UF_DEPARTMENT', { EMAIL: 'a@example.com' }, 400, 'ERROR_ARGUMENT', 'no_extranet_field'],
    [
      'an e-mail in use',
      { EMAIL: 'ADMIN@b24.local', UF_DEPARTMENT: [1] },
      400,
      'ERROR_ARGUMENT',
      'A user with this email already exists',
    ],
    ['a bad department', { EMAIL: 'b@example.com', UF_DEPARTMENT: ['x'] }, 400, 'ERROR_CORE', ''],
    [
      'a bad date',
      { EMAIL: 'c@example.com', UF_DEPARTMENT: [1], PERSONAL_BIRTHDAY: '31.02.2000' },
      400,
      'ERROR_CORE',
      '',
    ],
    [
      'a photo that is no image',
      { EMAIL: 'g@example.com', UF_DEPARTMENT: [1], PERSONAL_PHOTO: ['a.png', 'aGVsbG8='] },
      400,
      'ERROR_CORE',
      'PERSONAL_PHOTO: Avatar incorrect type',
    ],
    ['a name that is an object', { EMAIL: 'd@example.com', UF_DEPARTMENT: [1], NAME: { a: 1 } }, 400, 'ERROR_CORE', ''],
  ];
  for (const [name, params, status, code, description] of errors) {
    it(`${name} → ${code}`, async () => {
      const res = await server.call('user.add', params);
      assert.equal(res.status, status, JSON.stringify(res.body));
      assert.equal(res.body.error, code);
      if (description) assert.equal(res.body.error_description, description);
      if (code === 'ERROR_ARGUMENT') assert.equal(res.body.argument, '', 'the page shows "argument": ""');
    });
  }

  it('a non-admin → ERROR_CORE access_denied', async () => {
    const res = await server.call('user.add', { EMAIL: 'e@example.com', UF_DEPARTMENT: [1] }, employeeHook);
    assert.equal(res.status, 400);
    assert.deepEqual(res.body, { error: 'ERROR_CORE', error_description: 'access_denied' });
  });

  it('user_basic cannot add users (insufficient_scope)', async () => {
    const hook = await server.app.domain.identities.createWebhook(1, ['user_basic'], 'basic');
    const res = await server.call('user.add', { EMAIL: 'f@example.com' }, `${server.url}/rest/1/${hook.token}/`);
    assert.equal(res.status, 403);
    assert.equal(res.body.error, 'insufficient_scope');
  });
});
