// Which error wins when two params are wrong, and how params are coerced, in imbot.register, imbot.unregister and
// imbot.update, as CIMRestService (newest copy) checks them (docs/decisions.md, "Order of checks in the bot API").
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertError, HANDLER, registerBot } from '../../helpers/bots.ts';
import { startTestServer, type TestServer } from '../../helpers/harness.ts';

describe('check order: imbot.register, imbot.unregister, imbot.update', () => {
  let server: TestServer;
  let bot: number;
  const register = (params: Record<string, unknown>) =>
    server.call('imbot.register', { CLIENT_ID: 'reg', EVENT_HANDLER: HANDLER, PROPERTIES: { NAME: 'N' }, ...params });
  const listed = async (id: number) =>
    (await server.call('imbot.bot.list')).body.result[id] as { OPENLINE: string } | undefined;
  const typeOf = async (id: number) =>
    (await server.db.one<{ type: string }>('SELECT type FROM bots WHERE id = $1', [id]))?.type;

  before(async () => {
    server = await startTestServer();
    bot = await registerBot(server, 'own', 'order-bot');
  });
  after(() => server.close());

  describe('imbot.register', () => {
    it('no CLIENT_ID beats a missing handler and a missing CODE', async () => {
      const res = await server.call('imbot.register', { PROPERTIES: 'x' });
      assertError(res, 403, 'ACCESS_DENIED', 'Access denied! Client ID not specified');
    });

    it('a missing handler beats a wrong-typed PROPERTIES, TYPE and CODE', async () => {
      const res = await server.call('imbot.register', { CLIENT_ID: 'reg', CODE: ['x'], TYPE: ['?'], PROPERTIES: 'x' });
      assertError(res, 400, 'EVENT_MESSAGE_ADD_ERROR', 'Handler for "Message add" event isn\'t specified');
    });

    it('CODE beats the name; "0" is no CODE (PHP empty)', async () => {
      assertError(await register({ CODE: '0', PROPERTIES: {} }), 400, 'CODE_ERROR', "Bot code isn't specified");
    });

    it('the bot limit beats a missing name', async () => {
      for (let i = 0; i < 5; i++) await registerBot(server, 'full', `full-${i}`);
      const res = await register({ CLIENT_ID: 'full', CODE: 'full-6', PROPERTIES: {} });
      assertError(res, 400, 'MAX_COUNT_ERROR', 'Has reached the maximum number of bots for application (max: 5)');
    });

    it('a blank NAME is a name: NAME_ERROR only when neither NAME nor LAST_NAME is set (PHP isset)', async () => {
      const blank = (await register({ CODE: 'blank-name', PROPERTIES: { NAME: '' } })).body.result;
      assert.ok(blank > 0);
      assert.equal((await server.app.domain.users.get(blank))?.name, '');
      const res = await register({ CODE: 'no-name', PROPERTIES: { WORK_POSITION: 'x' } });
      assertError(res, 400, 'NAME_ERROR', "Bot name isn't specified");
    });

    it('TYPE other than O, B, H, S exactly is B; OPENLINE is on only for "Y"', async () => {
      const odd = (await register({ CODE: 'odd-type', TYPE: 'X' })).body.result;
      const lower = (await register({ CODE: 'lower-type', TYPE: 'h' })).body.result;
      const human = (await register({ CODE: 'human-type', TYPE: 'H' })).body.result;
      assert.deepEqual([await typeOf(odd), await typeOf(lower), await typeOf(human)], ['B', 'B', 'H']);
      const yes = (await register({ CLIENT_ID: 'ol', CODE: 'ol-y', OPENLINE: 'Y' })).body.result;
      const word = (await register({ CLIENT_ID: 'ol', CODE: 'ol-true', OPENLINE: 'true' })).body.result;
      assert.equal((await listed(yes))?.OPENLINE, 'Y');
      assert.equal((await listed(word))?.OPENLINE, 'N');
    });
  });

  describe('imbot.unregister', () => {
    it('BOT_ID is looked up as an array key: "", " 5" and "05" name no bot', async () => {
      for (const BOT_ID of ['', ` ${bot}`, `0${bot}`, 'abc']) {
        assertError(await server.call('imbot.unregister', { CLIENT_ID: 'own', BOT_ID }), 400, 'BOT_ID_ERROR');
      }
      assert.ok(await listed(bot));
    });

    it('another application’s bot → APP_ID_ERROR in CIMRestService’s wording', async () => {
      const res = await server.call('imbot.unregister', { CLIENT_ID: 'else', BOT_ID: String(bot) });
      assertError(res, 400, 'APP_ID_ERROR', 'Bot was installed by another rest application');
    });
  });

  describe('imbot.update', () => {
    it('the bot beats FIELDS of a wrong type', async () => {
      assertError(
        await server.call('imbot.update', { CLIENT_ID: 'own', BOT_ID: 999999, FIELDS: 'x' }),
        400,
        'BOT_ID_ERROR',
      );
      const res = await server.call('imbot.update', { CLIENT_ID: 'else', BOT_ID: bot, FIELDS: 'x' });
      assertError(res, 400, 'APP_ID_ERROR', 'Bot was installed by another rest application');
      const mine = await server.call('imbot.update', { CLIENT_ID: 'own', BOT_ID: bot, FIELDS: 'x' });
      assertError(mine, 400, 'WRONG_REQUEST', "Update fields can't be empty");
    });

    it('a bad handler beats both names empty', async () => {
      const FIELDS = { EVENT_MESSAGE_ADD: 'ftp://x', PROPERTIES: { NAME: '', LAST_NAME: '' } };
      const res = await server.call('imbot.update', { CLIENT_ID: 'own', BOT_ID: bot, FIELDS });
      assertError(res, 400, 'EVENT_MESSAGE_ADD_ERROR');
    });
  });
});
