// Which error wins when two params are wrong, and how params are coerced, in imbot.message.add/update/delete/like
// and imbot.chat.sendTyping, as CIMRestService (newest copy) checks them: the application, the bot, then the
// method's own params (docs/decisions.md, "Order of checks in the bot API").
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertError, registerBot } from '../../helpers/bots.ts';
import { startTestServer, type TestServer } from '../../helpers/harness.ts';

describe('check order: imbot.message.*, imbot.chat.sendTyping', () => {
  let server: TestServer;
  let bot: number;
  let ann: number;
  const call = (method: string, params: Record<string, unknown>) =>
    server.call(method, { CLIENT_ID: 'msg', ...params });
  const send = async (params: Record<string, unknown> = {}) =>
    (await call('imbot.message.add', { DIALOG_ID: ann, MESSAGE: 'hi', ...params })).body.result as number;
  const row = (id: number) =>
    server.db.one<{ system: boolean; text: string }>('SELECT * FROM messages WHERE id = $1', [id]);

  before(async () => {
    server = await startTestServer();
    bot = await registerBot(server, 'msg', 'msg-bot');
    await registerBot(server, 'other', 'other-bot');
    ann = (await server.app.domain.users.create({ name: 'Ann' })).id;
  });
  after(() => server.close());

  it('no CLIENT_ID beats every param', async () => {
    for (const method of ['imbot.message.add', 'imbot.message.update', 'imbot.message.delete', 'imbot.message.like']) {
      const res = await server.call(method, { DIALOG_ID: ['x'], MESSAGE_ID: 'x', BOT_ID: 'x' });
      assertError(res, 403, 'ACCESS_DENIED', 'Access denied! Client ID not specified');
    }
    assertError(await server.call('imbot.chat.sendTyping', { DIALOG_ID: ['x'] }), 403, 'ACCESS_DENIED');
  });

  it('the bot beats a wrong-typed or missing DIALOG_ID, MESSAGE and MESSAGE_ID', async () => {
    const unknown = { BOT_ID: 999999, DIALOG_ID: ['x'], MESSAGE: ['x'], MESSAGE_ID: 'x' };
    for (const method of [
      'imbot.message.add',
      'imbot.message.update',
      'imbot.message.delete',
      'imbot.message.like',
      'imbot.chat.sendTyping',
    ]) {
      assertError(await call(method, unknown), 400, 'BOT_ID_ERROR', 'Bot not found');
      const res = await call(method, { ...unknown, BOT_ID: undefined, CLIENT_ID: 'nobody' });
      assertError(res, 400, 'BOT_ID_ERROR', 'Bot not found');
    }
  });

  it('BOT_ID "" names no bot (isset, then not a key) rather than the first one', async () => {
    assertError(await call('imbot.message.add', { BOT_ID: '', DIALOG_ID: ann, MESSAGE: 'x' }), 400, 'BOT_ID_ERROR');
    assert.ok((await send({ BOT_ID: String(bot) })) > 0);
  });

  it('imbot.message.add: DIALOG_ID beats MESSAGE; a list is no dialog id', async () => {
    assertError(await call('imbot.message.add', { DIALOG_ID: ['1'] }), 400, 'DIALOG_ID_EMPTY');
    assertError(await call('imbot.message.add', { DIALOG_ID: ann, MESSAGE: ['x'] }), 400, 'MESSAGE_EMPTY');
  });

  it('imbot.message.add: SYSTEM is on only for "Y" (or JSON true); other values are no error', async () => {
    const plain = await send({ SYSTEM: 'X' });
    const word = await send({ SYSTEM: 'true' });
    const yes = await send({ SYSTEM: 'Y' });
    const json = await send({ SYSTEM: true });
    assert.deepEqual(await Promise.all([plain, word, yes, json].map(async (id) => (await row(id))?.system)), [
      false,
      false,
      true,
      true,
    ]);
  });

  it('MESSAGE_ID is read with intval: "12abc" is 12, "abc" is none', async () => {
    const id = await send();
    assertError(await call('imbot.message.like', { MESSAGE_ID: 'abc' }), 400, 'MESSAGE_ID_ERROR');
    assert.equal((await call('imbot.message.like', { MESSAGE_ID: `${id}abc` })).body.result, true);
    assert.equal((await call('imbot.message.update', { MESSAGE_ID: `${id}x`, MESSAGE: 'edited' })).body.result, true);
    assert.equal((await row(id))?.text, 'edited');
  });

  it('imbot.message.update with nothing to change answers true without looking at the message', async () => {
    assert.equal((await call('imbot.message.update', { MESSAGE_ID: 999999 })).body.result, true);
    assertError(await call('imbot.message.update', { MESSAGE_ID: 999999, MESSAGE: 'x' }), 403, 'CANT_EDIT_MESSAGE');
  });

  it('imbot.message.delete: COMPLETE is on only for "Y"; other values are no error', async () => {
    const kept = await send();
    assert.equal((await call('imbot.message.delete', { MESSAGE_ID: kept, COMPLETE: 'true' })).body.result, true);
    assert.ok(await row(kept), 'a mark stays');
    const gone = await send();
    assert.equal((await call('imbot.message.delete', { MESSAGE_ID: gone, COMPLETE: 'Y' })).body.result, true);
    assert.equal(await row(gone), undefined);
  });

  it('another application’s bot → APP_ID_ERROR in CIMRestService’s wording', async () => {
    const res = await call('imbot.chat.sendTyping', { CLIENT_ID: 'other', BOT_ID: bot, DIALOG_ID: ['x'] });
    assertError(res, 400, 'APP_ID_ERROR', 'Bot was installed by another rest application');
  });
});
