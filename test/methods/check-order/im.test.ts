// Which error wins when two params are wrong, and how params are coerced, in the im.* chat, dialog and message
// methods, as CIMRestService (newest copy) reads them: chatGet, chatUserAdd, chatUserDelete, chatUserList,
// dialogGet, dialogMessagesGet, dialogRead, messageAdd, messageUpdate, messageDelete, messageCommand
// (docs/decisions.md, "Order of checks in the bot API").
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertError } from '../../helpers/bots.ts';
import { startTestServer, type TestServer } from '../../helpers/harness.ts';
import { type Person, person } from '../../helpers/messenger.ts';

describe('check order: im.chat.*, im.dialog.*, im.message.*', () => {
  let server: TestServer;
  let ann: Person;
  let bob: Person;
  let carl: Person;
  let chatId: number;
  let privateId: number;
  const members = (id: number) => server.app.domain.chats.members(id);

  before(async () => {
    server = await startTestServer();
    ann = await person(server, 'Ann');
    bob = await person(server, 'Bob');
    carl = await person(server, 'Carl');
    chatId = (await ann.call('im.chat.add', { USERS: [bob.id], ENTITY_TYPE: 'ORDER', ENTITY_ID: '1' })).body.result;
    await ann.call('im.message.add', { DIALOG_ID: String(bob.id), MESSAGE: 'hi' });
    privateId = (await server.app.domain.chats.findPrivate(ann.id, bob.id))!.id;
  });
  after(() => server.close());

  describe('im.chat.*', () => {
    it('im.chat.get: the binding for any caller; a DIALOG_ID answers as im.dialog.get (chatGet)', async () => {
      assert.deepEqual((await carl.call('im.chat.get', { ENTITY_TYPE: 'ORDER', ENTITY_ID: '1' })).body.result, {
        ID: chatId,
      });
      assert.equal((await ann.call('im.chat.get', { ENTITY_TYPE: 'ORDER', ENTITY_ID: '0' })).body.result, null);
      const viaChat = (await ann.call('im.chat.get', { DIALOG_ID: `chat${chatId}`, ENTITY_TYPE: 'X' })).body.result;
      const viaDialog = (await ann.call('im.dialog.get', { DIALOG_ID: `chat${chatId}` })).body.result;
      assert.deepEqual(viaChat, viaDialog);
      assertError(await ann.call('im.chat.get', { DIALOG_ID: 'x' }), 400, 'DIALOG_ID_EMPTY');
      const closed = await carl.call('im.chat.get', { DIALOG_ID: `chat${chatId}` });
      assertError(closed, 403, 'ACCESS_ERROR', 'You do not have access to the specified dialog');
    });

    it('im.chat.user.add: intval CHAT_ID; a private dialog before an unknown chat; AddUser refusals are WRONG_REQUEST', async () => {
      assertError(await ann.call('im.chat.user.add', { CHAT_ID: privateId, USERS: 'x' }), 403, 'ACCESS_ERROR');
      const refused = "You don't have access or user already member in chat";
      assertError(
        await carl.call('im.chat.user.add', { CHAT_ID: chatId, USERS: [carl.id] }),
        400,
        'WRONG_REQUEST',
        refused,
      );
      assertError(
        await ann.call('im.chat.user.add', { CHAT_ID: 999999, USERS: [carl.id] }),
        400,
        'WRONG_REQUEST',
        refused,
      );
      const res = await ann.call('im.chat.user.add', { CHAT_ID: `${chatId}abc`, USERS: [carl.id], HIDE_HISTORY: 'X' });
      assert.equal(res.body.result, true);
      assert.ok((await members(chatId)).includes(carl.id));
      await ann.call('im.chat.user.delete', { CHAT_ID: chatId, USER_ID: carl.id });
    });

    it('im.chat.user.delete: a private dialog beats a missing USER_ID; ids are read with intval', async () => {
      const res = await ann.call('im.chat.user.delete', { CHAT_ID: privateId });
      assertError(res, 403, 'ACCESS_ERROR', 'It is forbidden to delete users of this chat');
      assertError(await ann.call('im.chat.user.delete', { CHAT_ID: chatId, USER_ID: 'x' }), 400, 'USER_ID_EMPTY');
      assertError(await ann.call('im.chat.user.delete', { CHAT_ID: 'x', USER_ID: bob.id }), 400, 'CHAT_ID_EMPTY');
      await ann.call('im.chat.user.add', { CHAT_ID: chatId, USERS: [carl.id] });
      assert.equal(
        (await ann.call('im.chat.user.delete', { CHAT_ID: chatId, USER_ID: `${carl.id}x` })).body.result,
        true,
      );
      assert.ok(!(await members(chatId)).includes(carl.id));
    });

    it('im.chat.leave with a USER_ID removes that user (chatUserDelete), with the rights of im.chat.user.delete', async () => {
      await ann.call('im.chat.user.add', { CHAT_ID: chatId, USERS: [carl.id] });
      const refused = "You don't have access or user isn't member in chat";
      assertError(
        await bob.call('im.chat.leave', { CHAT_ID: chatId, USER_ID: carl.id }),
        400,
        'WRONG_REQUEST',
        refused,
      );
      assert.equal((await ann.call('im.chat.leave', { CHAT_ID: chatId, USER_ID: carl.id })).body.result, true);
      assert.ok(!(await members(chatId)).includes(carl.id));
      assert.ok((await members(chatId)).includes(ann.id));
    });

    it('im.chat.user.list: CHAT_ID "12abc" is chat 12', async () => {
      const list = (await ann.call('im.chat.user.list', { CHAT_ID: `${chatId}abc` })).body.result;
      assert.deepEqual([...list].sort(), [ann.id, bob.id].sort());
    });
  });

  describe('im.dialog.*', () => {
    it('im.dialog.get and im.dialog.read read DIALOG_ID only: a CHAT_ID alone is DIALOG_ID_EMPTY', async () => {
      assertError(await ann.call('im.dialog.get', { CHAT_ID: chatId }), 400, 'DIALOG_ID_EMPTY');
      assertError(await ann.call('im.dialog.read', { CHAT_ID: chatId }), 400, 'DIALOG_ID_EMPTY');
    });

    it('im.dialog.messages.get: a CHAT_ID above 0 wins over DIALOG_ID; one that is not falls back to DIALOG_ID', async () => {
      const res = await ann.call('im.dialog.messages.get', { CHAT_ID: chatId, DIALOG_ID: String(bob.id) });
      assert.equal(res.body.result.chat_id, chatId);
      const fallback = await ann.call('im.dialog.messages.get', { CHAT_ID: 'x', DIALOG_ID: String(bob.id) });
      assert.equal(fallback.body.result.chat_id, privateId);
      assertError(await ann.call('im.dialog.messages.get', { CHAT_ID: 0 }), 400, 'DIALOG_ID_EMPTY');
    });

    it('im.dialog.read notify: DIALOG_ID "notify" answers true (Dialog::read marks the notifications read)', async () => {
      assert.equal((await ann.call('im.dialog.read', { DIALOG_ID: 'notify' })).body.result, true);
      assertError(await ann.call('im.dialog.read', { DIALOG_ID: 'NOTIFY' }), 400, 'DIALOG_ID_EMPTY');
    });

    it('im.dialog.read: LAST_ID, when given, stands for MESSAGE_ID', async () => {
      const first = (await bob.call('im.message.add', { DIALOG_ID: `chat${chatId}`, MESSAGE: 'one' })).body.result;
      await bob.call('im.message.add', { DIALOG_ID: `chat${chatId}`, MESSAGE: 'two' });
      const res = await ann.call('im.dialog.read', { DIALOG_ID: `chat${chatId}`, LAST_ID: first, MESSAGE_ID: 999999 });
      assert.equal(res.body.result.lastId, first);
    });
  });

  describe('im.message.*', () => {
    it('im.message.add: MESSAGE beats the target; CHAT_ID and USER_ID stand in for DIALOG_ID; an empty DIALOG_ID is USER_ID_EMPTY', async () => {
      assertError(await ann.call('im.message.add', { DIALOG_ID: '' }), 400, 'MESSAGE_EMPTY');
      assertError(await ann.call('im.message.add', { DIALOG_ID: '', MESSAGE: 'x' }), 400, 'USER_ID_EMPTY');
      assertError(await ann.call('im.message.add', { DIALOG_ID: 'chatx', MESSAGE: 'x' }), 400, 'USER_ID_EMPTY');
      assertError(await ann.call('im.message.add', { MESSAGE: 'x' }), 400, 'PARAMS_ERROR', 'Incorrect params');
      assertError(await ann.call('im.message.add', { CHAT_ID: 'x', MESSAGE: 'x' }), 400, 'CHAT_ID_EMPTY');
      const inChat = (await ann.call('im.message.add', { CHAT_ID: chatId, MESSAGE: 'by CHAT_ID' })).body.result;
      const inPrivate = (await ann.call('im.message.add', { USER_ID: bob.id, CHAT_ID: chatId, MESSAGE: 'by USER_ID' }))
        .body.result;
      const chatOf = async (id: number) =>
        (await server.db.one<{ chat_id: number }>('SELECT chat_id FROM messages WHERE id = $1', [id]))?.chat_id;
      assert.deepEqual([await chatOf(inChat), await chatOf(inPrivate)], [chatId, privateId]);
    });

    it('im.message.add: SYSTEM is on for "Y" only, anything else is off and no error', async () => {
      const res = await ann.call('im.message.add', { DIALOG_ID: `chat${chatId}`, MESSAGE: 'x', SYSTEM: 'X' });
      assert.equal(res.status, 200);
    });

    it('im.message.update / delete / command: ID stands for MESSAGE_ID, read with intval', async () => {
      const id = (await ann.call('im.message.add', { DIALOG_ID: `chat${chatId}`, MESSAGE: 'edit me' })).body.result;
      assert.equal(
        (await ann.call('im.message.update', { ID: `${id}x`, MESSAGE: 'edited', IS_EDITED: 'X' })).body.result,
        true,
      );
      assertError(await ann.call('im.message.update', { MESSAGE_ID: 'x', MESSAGE: 'y' }), 400, 'MESSAGE_ID_ERROR');
      assertError(await ann.call('im.message.delete', { ID: 0 }), 400, 'MESSAGE_ID_ERROR');
      assert.equal((await ann.call('im.message.delete', { ID: String(id) })).body.result, true);
      assertError(await ann.call('im.message.command', { ID: 'x', BOT_ID: 'x' }), 400, 'MESSAGE_ID_ERROR');
    });

    it('im.message.update with nothing to change answers true, even for a message that is not the caller’s', async () => {
      const id = (await bob.call('im.message.add', { DIALOG_ID: `chat${chatId}`, MESSAGE: 'mine' })).body.result;
      assert.equal((await ann.call('im.message.update', { MESSAGE_ID: id })).body.result, true);
      assertError(await ann.call('im.message.update', { MESSAGE_ID: id, MESSAGE: 'theirs' }), 403, 'CANT_EDIT_MESSAGE');
    });
  });
});
