import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertError, registerBot } from '../helpers/bots.ts';
import { startTestServer, type TestServer } from '../helpers/harness.ts';

// CIMRestService (newest copy) reads a `chatN` DIALOG_ID as CHAT_ID N in every chat method before anything else;
// a DIALOG_ID that is no chat id is DIALOG_ID_EMPTY.
describe('chat methods taking DIALOG_ID in place of CHAT_ID', () => {
  let server: TestServer;
  let botId: number;
  let chatId: number;
  let ann: number;
  const call = (method: string, params: Record<string, unknown>) =>
    server.call(method, { CLIENT_ID: 'dlg', BOT_ID: botId, ...params });

  before(async () => {
    server = await startTestServer();
    botId = await registerBot(server, 'dlg', 'dialog-bot');
    ann = (await server.app.domain.users.create({ name: 'Ann' })).id;
    chatId = (await call('imbot.chat.add', { USERS: [1] })).body.result;
  });
  after(() => server.close());

  it('imbot.chat.updateTitle, user.add, user.list, setManager and im.chat.user.list take DIALOG_ID=chatN', async () => {
    const dialog = { DIALOG_ID: `chat${chatId}` };
    assert.equal((await call('imbot.chat.updateTitle', { ...dialog, TITLE: 'By dialog' })).body.result, true);
    assert.equal((await server.app.domain.chats.get(chatId))?.title, 'By dialog');
    assert.equal((await call('imbot.chat.user.add', { ...dialog, USERS: [ann] })).body.result, true);
    const list = await call('imbot.chat.user.list', dialog);
    assert.deepEqual([...list.body.result].sort(), [1, ann, botId].sort());
    assert.equal((await call('imbot.chat.setManager', { ...dialog, USER_ID: ann })).body.result, true);
    const asUser = await server.call('im.chat.user.list', dialog);
    assert.deepEqual([...asUser.body.result].sort(), [1, ann, botId].sort());
  });

  it('DIALOG_ID wins over CHAT_ID', async () => {
    const res = await call('imbot.chat.updateTitle', { DIALOG_ID: `chat${chatId}`, CHAT_ID: 999999, TITLE: 'Wins' });
    assert.equal(res.body.result, true, JSON.stringify(res.body));
    assert.equal((await server.app.domain.chats.get(chatId))?.title, 'Wins');
  });

  for (const dialogId of ['1', '', 'chat', 'chatX']) {
    it(`DIALOG_ID ${JSON.stringify(dialogId)} is no chat id → DIALOG_ID_EMPTY`, async () => {
      const res = await call('imbot.chat.updateTitle', { DIALOG_ID: dialogId, CHAT_ID: chatId, TITLE: 'No' });
      assertError(res, 400, 'DIALOG_ID_EMPTY', "Dialog ID can't be empty");
    });
  }
});
