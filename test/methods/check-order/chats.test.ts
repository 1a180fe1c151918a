// Which error wins when two params are wrong, and how params are coerced, in imbot.chat.*, imbot.dialog.get and
// im.chat.add, as CIMRestService (newest copy) checks them: DIALOG_ID and CHAT_ID (and the method's own params) before
// the application and the bot (docs/decisions.md, "Order of checks in the bot API").
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertError, registerBot } from '../../helpers/bots.ts';
import { startTestServer, type TestServer } from '../../helpers/harness.ts';
import { PNG_1X1 } from '../../helpers/images.ts';

const noClient = { CLIENT_ID: undefined };
const unknownBot = { BOT_ID: 999999 };

describe('check order: imbot.chat.*, imbot.dialog.get, im.chat.add', () => {
  let server: TestServer;
  let bot: number;
  let ann: number;
  let bob: number;
  let chatId: number;
  let privateId: number;
  const call = (method: string, params: Record<string, unknown>) =>
    server.call(method, { CLIENT_ID: 'chats', ...params });
  const members = (id: number) => server.app.domain.chats.members(id);

  before(async () => {
    server = await startTestServer();
    bot = await registerBot(server, 'chats', 'chats-bot');
    ann = (await server.app.domain.users.create({ name: 'Ann' })).id;
    bob = (await server.app.domain.users.create({ name: 'Bob' })).id;
    chatId = (await call('imbot.chat.add', { USERS: [ann] })).body.result;
    privateId = (await server.app.domain.chats.privateChat(bot, ann)).id;
  });
  after(() => server.close());

  it('a missing CHAT_ID beats no CLIENT_ID and an unknown bot, in every chat method', async () => {
    for (const method of [
      'imbot.chat.setOwner',
      'imbot.chat.setManager',
      'imbot.chat.updateColor',
      'imbot.chat.updateTitle',
      'imbot.chat.updateAvatar',
      'imbot.chat.leave',
      'imbot.chat.user.add',
      'imbot.chat.user.delete',
      'imbot.chat.user.list',
    ]) {
      assertError(await call(method, noClient), 400, 'CHAT_ID_EMPTY', "Chat ID can't be empty");
      assertError(await call(method, { ...unknownBot, CHAT_ID: 'abc' }), 400, 'CHAT_ID_EMPTY');
      assertError(await call(method, { ...unknownBot, DIALOG_ID: '12' }), 400, 'DIALOG_ID_EMPTY');
    }
  });

  it('the params each method reads before the bot beat it', async () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ['imbot.chat.setOwner', { CHAT_ID: chatId }, 'USER_ID_EMPTY'],
      ['imbot.chat.setManager', { CHAT_ID: chatId, USER_ID: 'x' }, 'USER_ID_EMPTY'],
      ['imbot.chat.updateColor', { CHAT_ID: chatId, COLOR: 'BLUE' }, 'WRONG_COLOR'],
      ['imbot.chat.updateTitle', { CHAT_ID: chatId, TITLE: '  ' }, 'TITLE_EMPTY'],
      ['imbot.chat.user.add', { CHAT_ID: privateId, USERS: [bob] }, 'ACCESS_ERROR'],
      ['imbot.chat.user.delete', { CHAT_ID: privateId, USER_ID: ann }, 'ACCESS_ERROR'],
      ['imbot.chat.leave', { CHAT_ID: privateId }, 'ACCESS_ERROR'],
      ['imbot.chat.add', { USERS: [[ann]] }, 'INVALID_FORMAT'],
    ];
    for (const [method, params, code] of cases) {
      assertError(await call(method, { ...params, ...noClient }), code === 'ACCESS_ERROR' ? 403 : 400, code);
      assertError(await call(method, { ...params, ...unknownBot }), code === 'ACCESS_ERROR' ? 403 : 400, code);
    }
  });

  it('the bot beats the params each method reads after it', async () => {
    const cases: [string, Record<string, unknown>][] = [
      ['imbot.chat.updateAvatar', { CHAT_ID: chatId, AVATAR: 'not an image' }],
      ['imbot.chat.user.delete', { CHAT_ID: chatId }],
      ['imbot.chat.user.add', { CHAT_ID: chatId, USERS: 'x' }],
    ];
    for (const [method, params] of cases) {
      assertError(await call(method, { ...params, ...unknownBot }), 400, 'BOT_ID_ERROR', 'Bot not found');
      const res = await call(method, { ...params, ...noClient });
      assertError(res, 403, 'ACCESS_DENIED', 'Access denied! Client ID not specified');
    }
  });

  it('ids are read with intval: "12abc" is chat 12', async () => {
    const title = (await call('imbot.chat.updateTitle', { CHAT_ID: `${chatId}abc`, TITLE: 'Renamed' })).body.result;
    assert.equal(title, true);
    assert.equal((await server.app.domain.chats.get(chatId))?.title, 'Renamed');
  });

  it('imbot.chat.setManager: only "N" revokes; any other value grants, none is an error', async () => {
    const managers = async () =>
      (await call('imbot.dialog.get', { DIALOG_ID: `chat${chatId}` })).body.result.manager_list;
    assert.equal(
      (await call('imbot.chat.setManager', { CHAT_ID: chatId, USER_ID: ann, IS_MANAGER: 'false' })).body.result,
      true,
    );
    assert.ok((await managers()).map(Number).includes(ann));
    await call('imbot.chat.setManager', { CHAT_ID: chatId, USER_ID: ann, IS_MANAGER: 'N' });
    assert.ok(!(await managers()).map(Number).includes(ann));
  });

  it('imbot.chat.user.add: USERS may be one id; none to add is true (the newest AddUser), not "array format"', async () => {
    assert.equal((await call('imbot.chat.user.add', { CHAT_ID: chatId, USERS: String(bob) })).body.result, true);
    assert.ok((await members(chatId)).includes(bob));
    assert.equal((await call('imbot.chat.user.add', { CHAT_ID: chatId })).body.result, true);
  });

  it('imbot.chat.updateAvatar: the texts of CIMRestService::chatUpdateAvatar', async () => {
    assertError(
      await call('imbot.chat.updateAvatar', { CHAT_ID: 999999, AVATAR: PNG_1X1 }),
      400,
      'WRONG_REQUEST',
      "Chat isn't exists",
    );
    assertError(await call('imbot.chat.updateAvatar', { CHAT_ID: chatId, AVATAR: 'x' }), 400, 'AVATAR_ERROR');
  });

  it('imbot.chat.leave with a USER_ID removes that user, as imbot.chat.user.delete (chatUserDelete)', async () => {
    const chat = (await call('imbot.chat.add', { USERS: [ann, bob] })).body.result;
    assert.equal((await call('imbot.chat.leave', { CHAT_ID: chat, USER_ID: String(bob) })).body.result, true);
    assert.deepEqual((await members(chat)).sort(), [bot, ann].sort());
    const stranger = await registerBot(server, 'chats-other', 'chats-stranger');
    await call('imbot.chat.user.add', { CHAT_ID: chat, USERS: [stranger] });
    const res = await server.call('imbot.chat.leave', { CLIENT_ID: 'chats-other', CHAT_ID: chat, USER_ID: ann });
    assertError(res, 400, 'WRONG_REQUEST', "You don't have access or user isn't member in chat");
    assert.equal((await call('imbot.chat.leave', { CHAT_ID: chat, USER_ID: 'x' })).status, 403, 'the owner, itself');
  });

  it('imbot.chat.updateTitle: a chat the bot is not in, or none, answers true and renames nothing', async () => {
    const outsider = await registerBot(server, 'chats-out', 'chats-outsider');
    const res = await server.call('imbot.chat.updateTitle', {
      CLIENT_ID: 'chats-out',
      CHAT_ID: chatId,
      TITLE: 'Hijack',
    });
    assert.equal(res.body.result, true);
    assert.notEqual((await server.app.domain.chats.get(chatId))?.title, 'Hijack');
    assert.ok(!(await members(chatId)).includes(outsider));
    assert.equal((await call('imbot.chat.updateTitle', { CHAT_ID: 999999, TITLE: 'Nobody' })).body.result, true);
    const privateRes = await call('imbot.chat.updateTitle', { CHAT_ID: privateId, TITLE: 'x' });
    assertError(privateRes, 403, 'ACCESS_ERROR', 'This chat cannot be renamed');
  });

  it('imbot.chat.get with a DIALOG_ID answers the chat as imbot.dialog.get does (chatGet = dialogGet)', async () => {
    const res = await call('imbot.chat.get', { DIALOG_ID: `chat${chatId}`, ENTITY_TYPE: 'X', ENTITY_ID: 'Y' });
    const dialog = await call('imbot.dialog.get', { DIALOG_ID: `chat${chatId}` });
    assert.equal(res.body.result.id, chatId);
    assert.deepEqual(Object.keys(res.body.result), Object.keys(dialog.body.result));
    assert.equal(res.body.result.dialog_id, `chat${chatId}`);
    assertError(await call('imbot.chat.get', { DIALOG_ID: 'chatx' }), 400, 'DIALOG_ID_EMPTY');
    assertError(await call('imbot.chat.get', { DIALOG_ID: '' }), 400, 'DIALOG_ID_EMPTY');
    const unknown = await call('imbot.chat.get', { DIALOG_ID: 'chat999999' });
    assertError(unknown, 403, 'ACCESS_ERROR', 'You do not have access to the specified dialog');
  });

  it('imbot.chat.user.list: a chat the bot does not see is an empty list', async () => {
    assert.deepEqual((await call('imbot.chat.user.list', { CHAT_ID: 999999 })).body.result, []);
  });

  it('imbot.chat.add and im.chat.add: USERS as a JSON string; TYPE "OPEN" exactly; an unknown COLOR dropped', async () => {
    const made = (await call('imbot.chat.add', { USERS: JSON.stringify([ann]), TYPE: 'open', COLOR: 'BLUE' })).body
      .result;
    const chat = await server.app.domain.chats.get(made);
    assert.deepEqual([chat?.type, chat?.color], ['C', '']);
    assert.ok((await members(made)).includes(ann));
    const open = (await server.call('im.chat.add', { USERS: [ann], TYPE: 'OPEN' })).body.result;
    assert.equal((await server.app.domain.chats.get(open))?.type, 'O');
    assertError(
      await server.call('im.chat.add', { USERS: [ann, { id: 1 }] }),
      400,
      'INVALID_FORMAT',
      'Parameter USERS has wrong type',
    );
  });

  it('imbot.dialog.get: an unknown chat is the 403 of a chat without access', async () => {
    const res = await call('imbot.dialog.get', { DIALOG_ID: 'chat999999' });
    assertError(res, 403, 'ACCESS_ERROR', 'You do not have access to the specified dialog');
  });
});
