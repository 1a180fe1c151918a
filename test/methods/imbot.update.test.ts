import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertError, HANDLER, registerBot } from '../helpers/bots.ts';
import { startTestServer, type TestServer } from '../helpers/harness.ts';
import { PNG_1X1 } from '../helpers/images.ts';

describe('imbot.update', () => {
  let server: TestServer;
  let botId: number;
  let sibling: number;
  const update = (fields: unknown, extra: Record<string, unknown> = {}) =>
    server.call('imbot.update', { BOT_ID: botId, FIELDS: fields, CLIENT_ID: 'upd', ...extra });
  const bot = async () => (await server.app.domain.bots.get(botId))!;

  before(async () => {
    server = await startTestServer();
    botId = await registerBot(server, 'upd', 'upd-bot', {
      PROPERTIES: { NAME: 'Upd', LAST_NAME: 'Bot', COLOR: 'RED' },
    });
    sibling = await registerBot(server, 'upd', 'upd-sibling');
  });
  after(() => server.close());

  it('changes CODE and the profile', async () => {
    const res = await update({ CODE: 'renamed', PROPERTIES: { NAME: 'New', WORK_POSITION: 'Support', COLOR: 'lime' } });
    assert.equal(res.status, 200);
    assert.equal(res.body.result, true);
    const b = await bot();
    assert.equal(b.code, 'renamed');
    assert.equal(b.user.name, 'New');
    assert.equal(b.user.last_name, 'Bot', 'untouched');
    assert.equal(b.user.work_position, 'Support');
    assert.equal(b.user.color, 'LIME');
    const list = await server.call('imbot.bot.list');
    assert.equal(list.body.result[botId].NAME, 'New Bot');
    assert.equal(list.body.result[botId].CODE, 'renamed');
  });

  it('changes handlers for all the application’s bots (one set per application)', async () => {
    await update({ EVENT_MESSAGE_ADD: 'https://example.com/new-add' });
    assert.equal((await bot()).handlers.EVENT_MESSAGE_ADD, 'https://example.com/new-add');
    assert.equal((await bot()).handlers.EVENT_BOT_DELETE, HANDLER, 'others kept');
    assert.equal(
      (await server.app.domain.bots.get(sibling))?.handlers.EVENT_MESSAGE_ADD,
      'https://example.com/new-add',
    );
    await update({ EVENT_HANDLER: 'https://example.com/all' });
    assert.equal((await bot()).handlers.EVENT_WELCOME_MESSAGE, 'https://example.com/all');
  });

  it('clears LAST_NAME; a blank NAME keeps the name (Bot::update drops it) and still answers true', async () => {
    assert.equal((await update({ PROPERTIES: { NAME: '' } })).body.result, true);
    assert.equal((await bot()).user.name, 'New');
    await update({ PROPERTIES: { LAST_NAME: '' } });
    assert.deepEqual([(await bot()).user.name, (await bot()).user.last_name], ['New', '']);
    await update({ PROPERTIES: { LAST_NAME: 'Bot' } });
  });

  it('an unknown COLOR or PERSONAL_GENDER is dropped, the colour kept, and the call answers true as on a portal', async () => {
    const before = (await bot()).user.color;
    const res = await update({ PROPERTIES: { COLOR: 'BLUE', PERSONAL_GENDER: 'X' } });
    assert.equal(res.body.result, true, JSON.stringify(res.body));
    assert.equal((await bot()).user.color, before);
  });

  it('stores a new PERSONAL_PHOTO', async () => {
    await update({ PROPERTIES: { PERSONAL_PHOTO: PNG_1X1 } });
    assert.match((await bot()).user.personal_photo, /^\/upload\/avatar\/.+\.png$/);
  });

  it('FIELDS OPENLINE is taken and changes nothing; FIELDS TYPE alone is no field', async () => {
    const res = await update({ TYPE: 'S', OPENLINE: 'Y', PROPERTIES: { WORK_POSITION: 'still B' } });
    assert.equal(res.body.result, true);
    assert.equal((await bot()).type, 'B');
    assert.equal((await bot()).openline, false);
    assert.equal((await update({ OPENLINE: 'Y' })).body.result, true);
    assert.equal((await bot()).openline, false);
    assertError(await update({ TYPE: 'S' }), 400, 'WRONG_REQUEST', "Update fields can't be empty");
  });

  it('FIELDS TYPE changes the type only beside a top-level TYPE of O, B or H (botUpdate tests that one)', async () => {
    assert.equal((await update({ TYPE: 'S' }, { TYPE: 'B' })).body.result, true);
    assert.equal((await bot()).type, 'S');
    const res = await update({ TYPE: 'H' }, { TYPE: 'S' });
    assertError(res, 400, 'WRONG_REQUEST', "Update fields can't be empty");
    assert.equal((await bot()).type, 'S');
    await update({ TYPE: 'B' }, { TYPE: 'O' });
    assert.equal((await bot()).type, 'B');
  });

  const cases: [string, () => Promise<{ status: number; body: any }>, number, string, string][] = [
    [
      'no CLIENT_ID over a webhook',
      () => server.call('imbot.update', { BOT_ID: botId, FIELDS: { CODE: 'x' } }),
      403,
      'ACCESS_DENIED',
      'Access denied! Client ID not specified',
    ],
    [
      'no BOT_ID',
      () => server.call('imbot.update', { FIELDS: { CODE: 'x' }, CLIENT_ID: 'upd' }),
      400,
      'BOT_ID_ERROR',
      'Bot not found',
    ],
    ['an unknown BOT_ID', () => update({ CODE: 'x' }, { BOT_ID: 99999 }), 400, 'BOT_ID_ERROR', 'Bot not found'],
    [
      'another application',
      () => update({ CODE: 'x' }, { CLIENT_ID: 'other' }),
      400,
      'APP_ID_ERROR',
      'Bot was installed by another rest application',
    ],
    ['no FIELDS', () => update(undefined), 400, 'WRONG_REQUEST', "Update fields can't be empty"],
    ['empty FIELDS', () => update({}), 400, 'WRONG_REQUEST', "Update fields can't be empty"],
    ['FIELDS not an object', () => update('CODE'), 400, 'WRONG_REQUEST', "Update fields can't be empty"],
    ['only empty values', () => update({ CODE: '' }), 400, 'WRONG_REQUEST', "Update fields can't be empty"],
    ['a taken CODE', () => update({ CODE: 'upd-sibling' }), 400, 'WRONG_REQUEST', "Bot can't be updated"],
    ['PROPERTIES not an object', () => update({ PROPERTIES: 'x' }), 400, 'WRONG_REQUEST', "Bot can't be updated"],
    [
      'NAME and LAST_NAME both empty',
      () => update({ PROPERTIES: { NAME: '', LAST_NAME: ' ' } }),
      400,
      'NAME_ERROR',
      "Bot name isn't specified",
    ],
    [
      'only a PERSONAL_PHOTO that is no image: dropped, so nothing to update',
      () => update({ PROPERTIES: { PERSONAL_PHOTO: 'aGVsbG8=' } }),
      400,
      'WRONG_REQUEST',
      "Update fields can't be empty",
    ],
    [
      'a bad EVENT_HANDLER',
      () => update({ EVENT_HANDLER: 'nope' }),
      400,
      'EVENT_MESSAGE_ADD_ERROR',
      'Wrong handler URL',
    ],
  ];
  for (const name of [
    'EVENT_MESSAGE_ADD',
    'EVENT_MESSAGE_UPDATE',
    'EVENT_MESSAGE_DELETE',
    'EVENT_WELCOME_MESSAGE',
    'EVENT_BOT_DELETE',
  ]) {
    cases.push([`a bad ${name}`, () => update({ [name]: 'mailto:x@y.z' }), 400, `${name}_ERROR`, 'Wrong handler URL']);
  }
  for (const [name, call, status, code, description] of cases) {
    it(`${name} → ${status} ${code}, nothing changes`, async () => {
      const before = await bot();
      assertError(await call(), status, code, description);
      const after = await bot();
      assert.equal(after.code, before.code);
      assert.deepEqual(after.handlers, before.handlers);
      assert.equal(after.user.name, before.user.name);
      assert.equal(after.user.last_name, before.user.last_name);
    });
  }

  it('NAME_ERROR only when NAME and LAST_NAME are both sent empty (botUpdate); clearing one is allowed', async () => {
    const lone = await registerBot(server, 'lone', 'lone-bot', { PROPERTIES: { LAST_NAME: 'Only' } });
    const update = (PROPERTIES: Record<string, unknown>) =>
      server.call('imbot.update', { BOT_ID: lone, FIELDS: { PROPERTIES }, CLIENT_ID: 'lone' });
    assertError(await update({ NAME: '', LAST_NAME: '' }), 400, 'NAME_ERROR', "Bot name isn't specified");
    assert.equal((await update({ LAST_NAME: '' })).body.result, true);
  });
});
