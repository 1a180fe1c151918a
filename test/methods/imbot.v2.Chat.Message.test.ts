import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ChatRow } from '../../src/domain/chats.ts';
import type { UserRow } from '../../src/domain/user-row.ts';
import { startTestServer, type TestServer } from '../helpers/harness.ts';
import { assertV2Error, v2Register } from '../helpers/v2.ts';

describe('imbot.v2.Chat.Message.*', () => {
  let server: TestServer;
  const token = 'msg-token';
  let botId: number;
  let watcherId: number;
  let ann: UserRow;
  let chat: ChatRow;
  let foreign: ChatRow;

  const call = (method: string, params: Record<string, unknown>, botToken = token, id = botId) =>
    server.call(`imbot.v2.Chat.Message.${method}`, { botId: id, botToken, ...params });
  const row = (id: number) => server.app.domain.messenger.get(id);
  /** A person writes in a chat, as im.message.add would. */
  const say = async (author: UserRow, target: ChatRow, text: string) =>
    (
      await server.app.domain.messenger.send({
        author,
        byBot: false,
        target: { kind: 'chat', chat: target },
        text,
        extras: {},
        system: false,
        live: { origin: server.url },
      })
    ).id;

  before(async () => {
    server = await startTestServer();
    botId = await v2Register(server, token, 'messenger_bot', { properties: { name: 'Messenger' } });
    watcherId = await v2Register(server, token, 'watcher', { type: 'supervisor', properties: { name: 'Watcher' } });
    const { users, chats } = server.app.domain;
    ann = await users.create({ name: 'Ann', last_name: 'A' });
    const bob = await users.create({ name: 'Bob', last_name: 'B' });
    chat = await chats.create({ type: 'C', title: 'Room', authorId: botId, users: [ann.id, watcherId] });
    foreign = await chats.create({ type: 'C', title: 'Elsewhere', authorId: ann.id, users: [bob.id] });
  });
  after(() => server.close());

  describe('send', () => {
    it('sends to a chat and to a person; answers the id and an empty uuidMap', async () => {
      const res = await call('send', { dialogId: `chat${chat.id}`, fields: { message: 'Hello! How can I help you?' } });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(res.body.result, { id: res.body.result.id, uuidMap: {} });
      const stored = await row(res.body.result.id);
      assert.equal(stored?.text, 'Hello! How can I help you?');
      assert.equal(stored?.author_id, botId);
      const direct = await call('send', { dialogId: String(ann.id), fields: { message: 'Hi Ann' } });
      const privateChat = await server.app.domain.chats.findPrivate(botId, ann.id);
      assert.equal((await row(direct.body.result.id))?.chat_id, privateChat?.id);
    });

    it('keyboard, reply, template id, system; text over 20,000 characters is cut', async () => {
      const asked = await say(ann, chat, 'Question?');
      const res = await call('send', {
        dialogId: `chat${chat.id}`,
        fields: {
          message: 'x'.repeat(20_005),
          keyboard: { BUTTONS: [{ TEXT: 'Help', COMMAND: 'help' }] },
          replyId: asked,
          templateId: 'a1b2c3',
          system: 'Y',
        },
      });
      const stored = (await row(res.body.result.id))!;
      assert.equal(stored.text, `${'x'.repeat(20_000)} (...)`);
      assert.equal(stored.params.REPLY_ID, asked);
      assert.ok(Array.isArray(stored.params.KEYBOARD));
      assert.equal(stored.uuid, 'a1b2c3');
      assert.equal(stored.system, true);
    });

    it('forwards messages the bot can see, mapping uuids to the copies', async () => {
      const original = await say(ann, chat, 'Forward me');
      const res = await call('send', { dialogId: String(ann.id), fields: { forwardIds: { 'u-1': original } } });
      const copy = res.body.result.uuidMap['u-1'];
      assert.equal(typeof copy, 'number');
      const got = await call('get', { messageId: copy }, token, watcherId);
      assert.equal(got.status, 403, 'the watcher is not in the private dialog');
      const stored = (await row(copy))!;
      assert.equal(stored.text, 'Forward me');
      assert.deepEqual((stored.params.FORWARD as { id: number }).id, original);
    });

    it('refuses an empty message and dialogs the bot cannot write to, sending nothing', async () => {
      const before = (await server.db.one<{ n: number }>('SELECT count(*)::int AS n FROM messages'))!.n;
      assertV2Error(
        await call('send', { dialogId: `chat${chat.id}`, fields: { message: '  ' } }),
        400,
        'EMPTY_MESSAGE',
      );
      assertV2Error(await call('send', { dialogId: `chat${chat.id}` }), 400, 'EMPTY_MESSAGE');
      assertV2Error(
        await call('send', { dialogId: `chat${foreign.id}`, fields: { message: 'x' } }),
        403,
        'ACCESS_DENIED',
      );
      assertV2Error(await call('send', { dialogId: 'somewhere', fields: { message: 'x' } }), 403, 'ACCESS_DENIED');
      assertV2Error(await call('send', { dialogId: `chat${chat.id}`, fields: { message: { a: 1 } } }), 400, 100);
      assertV2Error(await call('send', { fields: { message: 'x' } }), 400, 100);
      assertV2Error(
        await call('send', { dialogId: `chat${chat.id}`, fields: { message: 'x' } }, 'wrong'),
        403,
        'BOT_OWNERSHIP_ERROR',
      );
      assert.equal((await server.db.one<{ n: number }>('SELECT count(*)::int AS n FROM messages'))!.n, before);
    });
  });

  describe('update and delete', () => {
    it("updates the bot's own message; keyboard N removes the keyboard", async () => {
      const id = (
        await call('send', {
          dialogId: `chat${chat.id}`,
          fields: { message: 'Before', keyboard: { BUTTONS: [{ TEXT: 'A', COMMAND: 'a' }] } },
        })
      ).body.result.id;
      const res = await call('update', { messageId: id, fields: { message: 'After', keyboard: 'N' } });
      assert.deepEqual(res.body.result, { result: true });
      const stored = (await row(id))!;
      assert.equal(stored.text, 'After');
      assert.equal(stored.params.KEYBOARD, undefined);
      assert.equal(stored.params.IS_EDITED, 'Y');
    });

    it("someone else's message → ACCESS_DENIED, unchanged", async () => {
      const theirs = await say(ann, chat, 'Mine');
      assertV2Error(await call('update', { messageId: theirs, fields: { message: 'Hacked' } }), 403, 'ACCESS_DENIED');
      assertV2Error(await call('update', { messageId: 999999, fields: { message: 'x' } }), 403, 'ACCESS_DENIED');
      assert.equal((await row(theirs))?.text, 'Mine');
    });

    it('deletes its own; as the chat owner, others’ too; not in foreign chats', async () => {
      const own = (await call('send', { dialogId: `chat${chat.id}`, fields: { message: 'Bye' } })).body.result.id;
      assert.deepEqual((await call('delete', { messageId: own })).body.result, { result: true });
      assert.equal((await row(own))?.deleted, true);
      const theirs = await say(ann, chat, 'Remove me');
      await call('delete', { messageId: theirs, complete: true });
      assert.equal(await row(theirs), undefined);
      const outside = await say(ann, foreign, 'Not yours');
      assertV2Error(await call('delete', { messageId: outside }), 403, 'ACCESS_DENIED');
      assert.equal((await row(outside))?.deleted, false);
      const byOwner = await say(ann, chat, 'Owner may delete');
      assertV2Error(
        await call('delete', { messageId: byOwner }, token, watcherId),
        403,
        'ACCESS_DENIED',
        'Access denied',
      );
    });
  });

  describe('read', () => {
    it('marks the dialog read and answers what it marked', async () => {
      await call('read', { dialogId: `chat${chat.id}` });
      const a = await say(ann, chat, 'one');
      const b = await say(ann, chat, 'two');
      const first = await call('read', { dialogId: `chat${chat.id}`, messageId: a });
      assert.deepEqual(first.body.result, { chatId: chat.id, lastId: a, counter: 1, viewedMessages: [a] });
      const rest = await call('read', { dialogId: `chat${chat.id}` });
      assert.deepEqual(rest.body.result, { chatId: chat.id, lastId: b, counter: 0, viewedMessages: [b] });
      const outside = await say(ann, foreign, 'elsewhere');
      assertV2Error(await call('read', { dialogId: `chat${chat.id}`, messageId: outside }), 400, 'MESSAGE_NOT_FOUND');
      assertV2Error(await call('read', { dialogId: `chat${foreign.id}` }), 403, 'ACCESS_DENIED');
    });
  });

  describe('get and getContext (supervisor and personal bots)', () => {
    it('a plain bot → BOT_TYPE_NOT_ALLOWED', async () => {
      const id = await say(ann, chat, 'private thoughts');
      assertV2Error(await call('get', { messageId: id }), 403, 'BOT_TYPE_NOT_ALLOWED');
      assertV2Error(await call('getContext', { messageId: id }), 403, 'BOT_TYPE_NOT_ALLOWED');
    });

    it('a supervisor reads a message and its author', async () => {
      const id = await say(ann, chat, 'Hello! How are you?');
      const res = await call('get', { messageId: id }, token, watcherId);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.result.message.id, id);
      assert.equal(res.body.result.message.text, 'Hello! How are you?');
      assert.equal(res.body.result.message.authorId, ann.id);
      assert.equal(res.body.result.user.id, ann.id);
      assertV2Error(await call('get', { messageId: 999999 }, token, watcherId), 400, 'MESSAGE_NOT_FOUND');
      const outside = await say(ann, foreign, 'hidden');
      assertV2Error(await call('get', { messageId: outside }, token, watcherId), 403, 'MESSAGE_ACCESS_DENIED');
    });

    it('getContext: range messages each side, oldest first, with paging flags', async () => {
      const ids = [];
      for (const text of ['c1', 'c2', 'c3', 'c4', 'c5']) ids.push(await say(ann, chat, text));
      const res = await call('getContext', { messageId: ids[2], range: 1 }, token, watcherId);
      assert.deepEqual(
        res.body.result.messages.map((m: { id: number }) => m.id),
        [ids[1], ids[2], ids[3]],
      );
      assert.equal(res.body.result.hasPrevPage, true);
      assert.equal(res.body.result.hasNextPage, true);
      assert.deepEqual(
        res.body.result.users.map((u: { id: number }) => u.id),
        [ann.id],
      );
      const tail = await call('getContext', { messageId: ids[4], range: 50 }, token, watcherId);
      assert.equal(tail.body.result.messages.at(-1).id, ids[4]);
      assert.equal(tail.body.result.hasNextPage, false);
    });
  });

  describe('reactions', () => {
    it('a reaction to the bot’s message reaches the bot as ONIMBOTV2REACTIONCHANGE', async () => {
      const poll = async (id: number) =>
        (
          await server.call('imbot.v2.Event.get', { botId: id, botToken: token, limit: 1000 })
        ).body.result.events.filter((e: { type: string }) => e.type === 'ONIMBOTV2REACTIONCHANGE');
      const id = (await call('send', { dialogId: `chat${chat.id}`, fields: { message: 'Rate me' } })).body.result.id;
      const live = { origin: server.url };
      await server.app.domain.messenger.like(ann.id, (await row(id))!, 'plus', live);
      await call('Reaction.add', { messageId: id, reaction: 'fire' }, token, watcherId);
      await server.app.domain.messenger.like(ann.id, (await row(id))!, 'minus', live);
      const events = await poll(botId);
      assert.deepEqual(
        events.map((e: any) => [e.data.reaction, e.data.action, e.data.user.id, e.data.message.id]),
        [
          ['like', 'add', ann.id, id],
          ['fire', 'add', watcherId, id],
          ['like', 'delete', ann.id, id],
        ],
      );
      assert.deepEqual(Object.keys(events[0].data), [
        'bot',
        'reaction',
        'action',
        'message',
        'chat',
        'user',
        'language',
      ]);
      assert.equal(events[0].data.chat.dialogId, `chat${chat.id}`);
      // Its own reactions tell it nothing; the watcher's messages got none.
      await call('Reaction.add', { messageId: id, reaction: 'eyes' });
      assert.equal((await poll(botId)).length, 3);
      assert.deepEqual(await poll(watcherId), []);
    });

    it('adds and removes reactions; like is the messenger like', async () => {
      const id = await say(ann, chat, 'React to me');
      assert.deepEqual((await call('Reaction.add', { messageId: id, reaction: 'like' })).body.result, { result: true });
      assert.deepEqual((await row(id))?.params.LIKE, [botId]);
      await call('Reaction.add', { messageId: id, reaction: 'fire' });
      assert.deepEqual((await row(id))?.params.REACTIONS, { fire: [botId] });
      assertV2Error(await call('Reaction.add', { messageId: id, reaction: 'fire' }), 400, 'REACTION_ALREADY_SET');
      assertV2Error(await call('Reaction.add', { messageId: id, reaction: 'like' }), 400, 'REACTION_ALREADY_SET');
      assertV2Error(await call('Reaction.add', { messageId: id, reaction: 'unicorn' }), 400, 'REACTION_NOT_FOUND');
      assertV2Error(await call('Reaction.delete', { messageId: id, reaction: 'unicorn' }), 400, 'REACTION_NOT_FOUND');
      await call('Reaction.delete', { messageId: id, reaction: 'fire' });
      await call('Reaction.delete', { messageId: id, reaction: 'like' });
      const params = (await row(id))?.params;
      assert.equal(params?.REACTIONS, undefined);
      assert.equal(params?.LIKE, undefined);
      assert.deepEqual((await call('Reaction.delete', { messageId: id, reaction: 'fire' })).body.result, {
        result: true,
      });
      const outside = await say(ann, foreign, 'no');
      assertV2Error(await call('Reaction.add', { messageId: outside, reaction: 'like' }), 403, 'ACCESS_DENIED');
      assertV2Error(await call('Reaction.add', { messageId: id }), 400, 100);
    });
  });
});
