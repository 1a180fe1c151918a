import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertError, HANDLER, oauthApp, registerBot } from '../helpers/bots.ts';
import { startTestServer, type TestServer } from '../helpers/harness.ts';
import { PNG_1X1, png } from '../helpers/images.ts';

describe('imbot.register', () => {
  let server: TestServer;
  const register = (params: Record<string, unknown>) => server.call('imbot.register', params);
  const valid = (code: string, extra: Record<string, unknown> = {}) => ({
    CODE: code,
    EVENT_HANDLER: HANDLER,
    PROPERTIES: { NAME: 'Bot' },
    CLIENT_ID: 'reg',
    ...extra,
  });

  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it('creates a bot user and answers its id as a number', async () => {
    const res = await register(
      valid('echo', { PROPERTIES: { NAME: 'Echo', LAST_NAME: 'Bot', WORK_POSITION: 'Helper', COLOR: 'aqua' } }),
    );
    assert.equal(res.status, 200);
    assert.equal(typeof res.body.result, 'number');
    assert.ok(res.body.time);
    const bot = await server.app.domain.bots.get(res.body.result);
    assert.equal(bot?.code, 'echo');
    assert.equal(bot?.type, 'B');
    assert.equal(bot?.openline, false);
    assert.equal(bot?.app_key, 'customreg');
    assert.equal(bot?.user.is_bot, true);
    assert.equal(bot?.user.name, 'Echo');
    assert.equal(bot?.user.last_name, 'Bot');
    assert.equal(bot?.user.work_position, 'Helper');
    assert.equal(bot?.user.color, 'AQUA');
    assert.deepEqual(bot?.handlers, {
      EVENT_MESSAGE_ADD: HANDLER,
      EVENT_MESSAGE_UPDATE: HANDLER,
      EVENT_MESSAGE_DELETE: HANDLER,
      EVENT_WELCOME_MESSAGE: HANDLER,
      EVENT_BOT_DELETE: HANDLER,
    });
  });

  it('takes separate handler URLs; EVENT_HANDLER, when given, is copied over all five', async () => {
    const separate = await register({
      CODE: 'separate',
      EVENT_MESSAGE_ADD: 'https://example.com/add',
      EVENT_WELCOME_MESSAGE: 'https://example.com/welcome',
      EVENT_BOT_DELETE: 'https://example.com/delete',
      PROPERTIES: { NAME: 'S' },
      CLIENT_ID: 'handlers1',
    });
    const bot = await server.app.domain.bots.get(separate.body.result);
    assert.deepEqual(bot?.handlers, {
      EVENT_MESSAGE_ADD: 'https://example.com/add',
      EVENT_WELCOME_MESSAGE: 'https://example.com/welcome',
      EVENT_BOT_DELETE: 'https://example.com/delete',
    });
    const common = await register({
      CODE: 'common',
      EVENT_HANDLER: 'https://example.com/all',
      EVENT_MESSAGE_ADD: 'https://example.com/ignored',
      PROPERTIES: { NAME: 'C' },
      CLIENT_ID: 'handlers2',
    });
    const other = await server.app.domain.bots.get(common.body.result);
    assert.equal(other?.handlers.EVENT_MESSAGE_ADD, 'https://example.com/all');
    assert.equal(other?.handlers.EVENT_BOT_DELETE, 'https://example.com/all');
  });

  it('takes form-encoded params (PROPERTIES[NAME]=…)', async () => {
    const body = new URLSearchParams({
      CODE: 'formbot',
      EVENT_HANDLER: HANDLER,
      'PROPERTIES[NAME]': 'Form',
      'PROPERTIES[LAST_NAME]': 'Bot',
      CLIENT_ID: 'form',
    });
    const res = await fetch(`${server.webhook}imbot.register.json`, { method: 'POST', body });
    const json = (await res.json()) as { result: number };
    assert.equal(res.status, 200);
    assert.equal((await server.app.domain.bots.get(json.result))?.user.last_name, 'Bot');
  });

  it('accepts the four types; TYPE=O forces OPENLINE=Y', async () => {
    for (const type of ['B', 'O', 'H', 'S']) {
      const id = await registerBot(server, `types${type}`, `type-${type}`, { TYPE: type });
      const bot = await server.app.domain.bots.get(id);
      assert.equal(bot?.type, type);
      assert.equal(bot?.openline, type === 'O');
    }
    const id = await registerBot(server, 'types-o', 'openline-b', { TYPE: 'B', OPENLINE: 'Y' });
    assert.equal((await server.app.domain.bots.get(id))?.openline, true);
    const forced = await registerBot(server, 'types-o', 'openline-o', { TYPE: 'O', OPENLINE: 'N' });
    assert.equal((await server.app.domain.bots.get(forced))?.openline, true);
  });

  it('re-registering a CODE returns the same bot to its application', async () => {
    const first = await registerBot(server, 'again', 'again-bot');
    const second = await registerBot(server, 'again', 'again-bot');
    assert.equal(second, first);
    const foreign = await register(valid('again-bot', { CLIENT_ID: 'someone-else' }));
    assertError(foreign, 400, 'WRONG_REQUEST', "Bot can't be created");
  });

  it('allows 5 bots per application, then MAX_COUNT_ERROR', async () => {
    for (let i = 1; i <= 5; i++) await registerBot(server, 'five', `five-${i}`);
    const sixth = await register(valid('five-6', { CLIENT_ID: 'five' }));
    assertError(sixth, 400, 'MAX_COUNT_ERROR', 'Has reached the maximum number of bots for application (max: 5)');
    assert.equal((await server.app.domain.bots.ofApp('customfive')).length, 5);
    // the limit is per application
    await registerBot(server, 'six', 'five-6');
  });

  it('Client ID not specified: a webhook call without CLIENT_ID, or with an empty or "0" one, is refused', async () => {
    for (const clientId of [undefined, '', '0']) {
      const res = await register(valid('no-client', { CLIENT_ID: clientId }));
      assertError(res, 403, 'ACCESS_DENIED', 'Access denied! Client ID not specified');
    }
    // The application is resolved before anything else is read (CIMRestService::botRegister).
    const bare = await server.call('imbot.register', {});
    assertError(bare, 403, 'ACCESS_DENIED', 'Access denied! Client ID not specified');
    assert.equal((await server.app.domain.bots.all()).filter((b) => b.code === 'no-client').length, 0);
  });

  it('OAuth: the bot belongs to the token’s application, whatever CLIENT_ID says', async () => {
    const { token, base } = await oauthApp(server, 'local.app.register');
    const res = await server.call('imbot.register', { ...valid('oauth-bot'), CLIENT_ID: 'ignored', auth: token }, base);
    assert.equal(res.status, 200);
    assert.equal((await server.app.domain.bots.get(res.body.result))?.app_key, 'local.app.register');
  });

  it('an unknown COLOR or PERSONAL_GENDER is dropped and the bot registered, as on a portal; Y-n-j birthdays are read', async () => {
    const res = await register(
      valid('loose', {
        PROPERTIES: { NAME: 'Loose', COLOR: 'BLUE', PERSONAL_GENDER: 'X', PERSONAL_BIRTHDAY: '2000-2-1' },
      }),
    );
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const user = await server.app.domain.users.get(res.body.result);
    assert.equal(user?.color, '');
    assert.equal(user?.personal_gender, '');
    assert.equal(user?.personal_birthday, '2000-02-01');
  });

  it('stores a Base64 PERSONAL_PHOTO as an avatar', async () => {
    const id = await registerBot(server, 'photo', 'photo-bot', {
      PROPERTIES: { NAME: 'Photo', PERSONAL_PHOTO: ['me.png', PNG_1X1] },
    });
    const path = (await server.app.domain.bots.get(id))?.user.personal_photo ?? '';
    assert.match(path, /^\/upload\/avatar\/[0-9a-f]{32}\.png$/);
    const stored = await server.app.domain.avatars.get(path);
    assert.equal(stored?.mime, 'image/png');
    assert.deepEqual(stored?.data, Buffer.from(PNG_1X1, 'base64'));
  });

  it('a PERSONAL_PHOTO that is no readable image of at most 5000x5000 is dropped, the bot registered', async () => {
    for (const [i, photo] of [Buffer.from('hello').toString('base64'), png(5001, 10).toString('base64')].entries()) {
      const id = await registerBot(server, 'photo', `dropped-${i}`, {
        PROPERTIES: { NAME: 'a', PERSONAL_PHOTO: photo },
      });
      assert.equal((await server.app.domain.bots.get(id))?.user.personal_photo, '');
    }
  });

  const errors: [string, Record<string, unknown>, number, string, string][] = [
    [
      'no handlers at all',
      valid('x', { EVENT_HANDLER: undefined }),
      400,
      'EVENT_MESSAGE_ADD_ERROR',
      'Handler for "Message add" event isn\'t specified',
    ],
    [
      'no welcome handler',
      valid('x', { EVENT_HANDLER: undefined, EVENT_MESSAGE_ADD: HANDLER, EVENT_BOT_DELETE: HANDLER }),
      400,
      'EVENT_WELCOME_MESSAGE_ERROR',
      'Handler for "Welcome message" event isn\'t specified',
    ],
    [
      'no bot-delete handler',
      valid('x', { EVENT_HANDLER: undefined, EVENT_MESSAGE_ADD: HANDLER, EVENT_WELCOME_MESSAGE: HANDLER }),
      400,
      'EVENT_BOT_DELETE_ERROR',
      'Handler for "Bot delete" event isn\'t specified',
    ],
    [
      'a bad common URL',
      valid('x', { EVENT_HANDLER: 'not a url' }),
      400,
      'EVENT_MESSAGE_ADD_ERROR',
      'Wrong handler URL',
    ],
    [
      'a non-HTTP handler URL',
      valid('x', { EVENT_HANDLER: 'ftp://example.com/h' }),
      400,
      'EVENT_MESSAGE_ADD_ERROR',
      'Wrong handler URL',
    ],
  ];
  for (const name of ['EVENT_MESSAGE_UPDATE', 'EVENT_MESSAGE_DELETE', 'EVENT_WELCOME_MESSAGE', 'EVENT_BOT_DELETE']) {
    const handlers = {
      EVENT_HANDLER: undefined,
      EVENT_MESSAGE_ADD: HANDLER,
      EVENT_WELCOME_MESSAGE: HANDLER,
      EVENT_BOT_DELETE: HANDLER,
      [name]: 'javascript:alert(1)',
    };
    errors.push([`a bad ${name}`, valid('x', handlers), 400, `${name}_ERROR`, 'Wrong handler URL']);
  }
  errors.push(
    ['no CODE', valid('x', { CODE: undefined }), 400, 'CODE_ERROR', "Bot code isn't specified"],
    ['a blank CODE', valid('   '), 400, 'CODE_ERROR', "Bot code isn't specified"],
    ['no PROPERTIES', valid('x', { PROPERTIES: undefined }), 400, 'NAME_ERROR', "Bot name isn't specified"],
    ['PROPERTIES not an object', valid('x', { PROPERTIES: 'Bot' }), 400, 'NAME_ERROR', "Bot name isn't specified"],
    [
      'neither NAME nor LAST_NAME',
      valid('x', { PROPERTIES: { WORK_POSITION: 'x' } }),
      400,
      'NAME_ERROR',
      "Bot name isn't specified",
    ],
    [
      'a bad PERSONAL_BIRTHDAY',
      valid('x', { PROPERTIES: { NAME: 'a', PERSONAL_BIRTHDAY: '01.02.2000' } }),
      400,
      'WRONG_REQUEST',
      'PROPERTIES[PERSONAL_BIRTHDAY] must be YYYY-MM-DD',
    ],
    // the order of the page's table: handlers, CODE, NAME
    [
      'no handlers and no CODE',
      valid('x', { EVENT_HANDLER: undefined, CODE: undefined }),
      400,
      'EVENT_MESSAGE_ADD_ERROR',
      'Handler for "Message add" event isn\'t specified',
    ],
    [
      'no CODE and no NAME',
      valid('x', { CODE: undefined, PROPERTIES: {} }),
      400,
      'CODE_ERROR',
      "Bot code isn't specified",
    ],
  );
  for (const [name, params, status, code, description] of errors) {
    it(`${name} → ${status} ${code}`, async () => {
      const before = (await server.app.domain.bots.all()).length;
      assertError(await register(params), status, code, description);
      assert.equal((await server.app.domain.bots.all()).length, before, 'no bot was created');
    });
  }
});
