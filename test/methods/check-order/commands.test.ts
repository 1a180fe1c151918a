// Which error wins when two params are wrong, and how params are coerced, in imbot.command.*, as CIMRestService
// (newest copy) checks them (docs/decisions.md, "Order of checks in the bot API").
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertError, HANDLER, registerBot } from '../../helpers/bots.ts';
import { startTestServer, type TestServer } from '../../helpers/harness.ts';

const LANG = [{ LANGUAGE_ID: 'en', TITLE: 'Echo', PARAMS: 'text' }];

describe('check order: imbot.command.*', () => {
  let server: TestServer;
  let bot: number;
  let commandId: number;
  const call = (method: string, params: Record<string, unknown>) =>
    server.call(method, { CLIENT_ID: 'cmd', ...params });
  const register = (params: Record<string, unknown>) =>
    call('imbot.command.register', { BOT_ID: bot, EVENT_COMMAND_ADD: HANDLER, LANG, ...params });
  const row = (id: number) => server.db.one<any>('SELECT * FROM commands WHERE id = $1', [id]);

  before(async () => {
    server = await startTestServer();
    bot = await registerBot(server, 'cmd', 'cmd-bot');
    await registerBot(server, 'other', 'other-cmd-bot');
    commandId = (await register({ COMMAND: 'echo' })).body.result;
  });
  after(() => server.close());

  describe('imbot.command.register', () => {
    it('the handler beats a malformed BOT_ID and flags; COMMAND beats BOT_ID; BOT_ID beats LANG', async () => {
      const bad = { BOT_ID: 'abc', COMMON: 'maybe', HIDDEN: ['x'] };
      assertError(await call('imbot.command.register', bad), 400, 'EVENT_COMMAND_ADD_ERROR');
      assertError(await register({ ...bad, COMMAND: '' }), 400, 'COMMAND_ERROR', "Command isn't specified");
      assertError(await register({ ...bad, COMMAND: 'x', LANG: [] }), 400, 'BOT_ID_ERROR', 'Bot not found');
      assertError(await register({ COMMAND: 'x', LANG: '' }), 400, 'LANG_ERROR');
    });

    it('BOT_ID is read with intval; COMMON, HIDDEN, EXTRANET_SUPPORT are on only for "Y"', async () => {
      const id = (
        await register({ COMMAND: 'flags', BOT_ID: `${bot}abc`, COMMON: 'true', HIDDEN: 'Y', EXTRANET_SUPPORT: 1 })
      ).body.result;
      const stored = await row(id);
      assert.deepEqual(
        [stored.bot_id, stored.common, stored.hidden, stored.extranet_support],
        [bot, false, true, false],
      );
    });
  });

  describe('imbot.command.update', () => {
    it('HIDDEN: any non-empty value is a change, on only for "Y"', async () => {
      await call('imbot.command.update', { COMMAND_ID: commandId, FIELDS: { HIDDEN: 'Y' } });
      assert.equal((await row(commandId)).hidden, true);
      assert.equal(
        (await call('imbot.command.update', { COMMAND_ID: commandId, FIELDS: { HIDDEN: 'maybe' } })).body.result,
        true,
      );
      assert.equal((await row(commandId)).hidden, false);
    });
  });

  describe('imbot.command.unregister and answer', () => {
    it('another application’s command → APP_ID_ERROR in CIMRestService’s wording', async () => {
      for (const method of ['imbot.command.unregister', 'imbot.command.update', 'imbot.command.answer']) {
        const res = await call(method, { CLIENT_ID: 'other', COMMAND_ID: commandId, FIELDS: { HIDDEN: 'Y' } });
        assertError(res, 400, 'APP_ID_ERROR', 'Command was installed by another rest application');
      }
    });

    it('answer: naming no command is no error before MESSAGE_ID and MESSAGE', async () => {
      assertError(await call('imbot.command.answer', {}), 400, 'MESSAGE_ID_EMPTY', "Message ID can't be empty");
      assertError(await call('imbot.command.answer', { MESSAGE_ID: 1 }), 400, 'MESSAGE_EMPTY');
      const res = await call('imbot.command.answer', { MESSAGE_ID: 1, MESSAGE: 'x', SYSTEM: 'maybe' });
      assertError(res, 400, 'WRONG_REQUEST', "Message isn't added");
    });

    it('answer: a command named but not found beats MESSAGE_ID', async () => {
      assertError(await call('imbot.command.answer', { COMMAND: 'nosuch' }), 400, 'COMMAND_ID_ERROR');
      assertError(await call('imbot.command.answer', { COMMAND_ID: '' }), 400, 'COMMAND_ID_ERROR');
    });
  });
});
