import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { COLORS } from '../../src/domain/chats.ts';
import { startTestServer, type TestServer } from '../helpers/harness.ts';
import { PNG_1X1 } from '../helpers/images.ts';
import { assertV2Error, v2Register } from '../helpers/v2.ts';

describe('imbot.v2.Chat.*', () => {
  let server: TestServer;
  const token = 'chat-token';
  let botId: number;
  let ann: number;
  let bob: number;
  let cat: number;
  let foreignChat: number;

  const call = (method: string, params: Record<string, unknown>) =>
    server.call(`imbot.v2.Chat.${method}`, { botId, botToken: token, ...params });
  const members = async (chatId: number) => server.app.domain.chats.members(chatId);

  before(async () => {
    server = await startTestServer();
    botId = await v2Register(server, token, 'chatter', { properties: { name: 'Chatter' } });
    const { users, chats } = server.app.domain;
    ann = (await users.create({ name: 'Ann', last_name: 'A' })).id;
    bob = (await users.create({ name: 'Bob', last_name: 'B' })).id;
    cat = (await users.create({ name: 'Cat', last_name: 'C' })).id;
    foreignChat = (await chats.create({ type: 'C', title: 'Not ours', authorId: ann, users: [bob] })).id;
  });
  after(() => server.close());

  describe('add and get', () => {
    it('creates a group chat the bot owns, answering the chat and its other members', async () => {
      const res = await call('add', { fields: { title: 'Support Chat', color: 'mint', userIds: [ann, bob] } });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const { chat, users } = res.body.result;
      assert.equal(chat.dialogId, `chat${chat.id}`);
      assert.equal(chat.name, 'Support Chat');
      assert.equal(chat.type, 'chat');
      assert.equal(chat.messageType, 'C');
      assert.equal(chat.owner, botId);
      assert.equal(chat.role, 'owner');
      assert.equal(chat.color, COLORS.MINT);
      assert.equal(chat.userCounter, 3);
      assert.equal(chat.textFieldEnabled, 'Y');
      assert.equal(typeof chat.lastMessageViews, 'string');
      assert.deepEqual(
        users.map((u: { id: number }) => u.id),
        [ann, bob],
      );
      assert.deepEqual(await members(chat.id), [botId, ann, bob]);
    });

    it('ownerId, first message, avatar; an unknown colour is picked automatically', async () => {
      const res = await call('add', {
        fields: {
          title: 'Owned',
          color: 'ultraviolet',
          userIds: [ann],
          ownerId: ann,
          message: 'Welcome',
          avatar: PNG_1X1,
        },
      });
      const { chat } = res.body.result;
      assert.equal(chat.owner, ann);
      assert.equal(chat.role, 'member');
      assert.ok(chat.messageCount >= 1);
      assert.match(chat.avatar, /\/upload\/avatar\//);
      assert.match(chat.color, /^#[0-9a-f]{6}$/);
    });

    it('gets a chat it is in, and a private dialog by the person’s id', async () => {
      const created = (await call('add', { fields: { title: 'Readable', userIds: [ann] } })).body.result.chat;
      const res = await call('get', { dialogId: `chat${created.id}` });
      assert.equal(res.status, 200);
      assert.equal(res.body.result.chat.id, created.id);
      assert.equal(res.body.result.chat.name, 'Readable');
      const direct = await call('get', { dialogId: String(cat) });
      assert.equal(direct.status, 200, JSON.stringify(direct.body));
      assert.equal(direct.body.result.chat.type, 'private');
      assert.equal(direct.body.result.chat.messageType, 'P');
      assert.equal(direct.body.result.chat.dialogId, String(cat));
    });

    it('ACCESS_DENIED for chats the bot is not in; 100 for a missing dialogId', async () => {
      assertV2Error(await call('get', { dialogId: `chat${foreignChat}` }), 403, 'ACCESS_DENIED', 'Access denied');
      assertV2Error(await call('get', { dialogId: 'chat999999' }), 403, 'ACCESS_DENIED');
      assertV2Error(await call('get', { dialogId: '999999' }), 403, 'ACCESS_DENIED');
      assertV2Error(await call('get', {}), 400, 100, 'Could not find value for parameter {dialogId}');
      assertV2Error(await call('add', { botToken: 'guess', fields: {} }), 403, 'BOT_OWNERSHIP_ERROR');
    });
  });

  describe('update, members, managers, owner, leave', () => {
    let chatId: number;
    let dialogId: string;
    before(async () => {
      chatId = (await call('add', { fields: { title: 'Team', userIds: [ann] } })).body.result.chat.id;
      dialogId = `chat${chatId}`;
    });

    it('update changes title, description and colour; bad values are left as they were', async () => {
      const res = await call('update', {
        dialogId,
        fields: { title: 'New Title', description: 'About', color: 'azure' },
      });
      assert.deepEqual(res.body.result, { result: true });
      let chat = (await call('get', { dialogId })).body.result.chat;
      assert.equal(chat.name, 'New Title');
      assert.equal(chat.description, 'About');
      assert.equal(chat.color, COLORS.AZURE);
      await call('update', { dialogId, fields: { title: '  ', color: 'nope', avatar: 'aGVsbG8=' } });
      chat = (await call('get', { dialogId })).body.result.chat;
      assert.equal(chat.name, 'New Title');
      assert.equal(chat.color, COLORS.AZURE);
      assert.equal(chat.avatar, '');
      assertV2Error(await call('update', { dialogId: String(ann), fields: { title: 'x' } }), 403, 'ACCESS_DENIED');
      assertV2Error(
        await call('update', { dialogId: `chat${foreignChat}`, fields: { title: 'x' } }),
        403,
        'ACCESS_DENIED',
      );
      assertV2Error(await call('update', { dialogId }), 400, 100);
    });

    it('User.add, User.list (ordered, limited), User.delete', async () => {
      assert.deepEqual((await call('User.add', { dialogId, userIds: [bob, cat, 999999] })).body.result, {
        result: true,
      });
      assert.deepEqual(await members(chatId), [botId, ann, bob, cat]);
      const list = await call('User.list', { dialogId });
      assert.deepEqual(
        list.body.result.map((u: { id: number }) => u.id),
        [botId, ann, bob, cat],
      );
      assert.equal(list.body.result[0].bot, true);
      const desc = await call('User.list', { dialogId, order: { userId: 'DESC' }, limit: 2 });
      assert.deepEqual(
        desc.body.result.map((u: { id: number }) => u.id),
        [cat, bob].sort((a, b) => b - a),
      );
      assert.deepEqual((await call('User.delete', { dialogId, userId: cat })).body.result, { result: true });
      assert.deepEqual(await members(chatId), [botId, ann, bob]);
      assertV2Error(await call('User.delete', { dialogId, userId: cat }), 403, 'ACCESS_DENIED');
      assertV2Error(await call('User.delete', { dialogId, userId: botId }), 403, 'ACCESS_DENIED', 'Access denied');
      assertV2Error(await call('User.add', { dialogId, userIds: 'everyone' }), 400, 100);
      assertV2Error(await call('User.add', { dialogId: `chat${foreignChat}`, userIds: [cat] }), 403, 'ACCESS_DENIED');
    });

    it('Manager.add / delete: the owner sets managers among members; others are ignored', async () => {
      assert.deepEqual((await call('Manager.add', { dialogId, userIds: [ann, cat] })).body.result, { result: true });
      assert.deepEqual((await call('get', { dialogId })).body.result.chat.managerList, [botId, ann]);
      await call('Manager.delete', { dialogId, userIds: [ann] });
      assert.deepEqual((await call('get', { dialogId })).body.result.chat.managerList, [botId]);
      assertV2Error(await call('Manager.add', { dialogId, userIds: [] }), 400, 'EMPTY_USER_IDS');
      assertV2Error(await call('Manager.add', { dialogId }), 400, 'EMPTY_USER_IDS');
    });

    it('setOwner hands the chat over; then the bot manages no more and may leave', async () => {
      assertV2Error(await call('leave', { dialogId }), 403, 'ACCESS_DENIED');
      assertV2Error(await call('setOwner', { dialogId, userId: cat }), 403, 'ACCESS_DENIED');
      assert.deepEqual((await call('setOwner', { dialogId, userId: ann })).body.result, { result: true });
      assert.equal((await call('get', { dialogId })).body.result.chat.owner, ann);
      assertV2Error(await call('Manager.add', { dialogId, userIds: [bob] }), 403, 'ACCESS_DENIED');
      assertV2Error(await call('setOwner', { dialogId, userId: bob }), 403, 'ACCESS_DENIED');
      assertV2Error(await call('User.delete', { dialogId, userId: bob }), 403, 'ACCESS_DENIED');
      assert.deepEqual((await call('leave', { dialogId })).body.result, { result: true });
      assert.deepEqual(await members(chatId), [ann, bob]);
      assertV2Error(await call('get', { dialogId }), 403, 'ACCESS_DENIED');
      assertV2Error(await call('leave', { dialogId: String(ann) }), 403, 'ACCESS_DENIED');
    });
  });
});
