import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ManualClock } from '../../src/clock.ts';
import type { BotEvent } from '../../src/domain/events.ts';
import { startTestServer, type TestServer } from '../helpers/harness.ts';
import { gif } from '../helpers/images.ts';
import {
  assertError,
  type Person,
  person,
  recordEvents,
  recordPulls,
  registerBot,
  snapshot,
} from '../helpers/messenger.ts';

describe('im.chat.*', () => {
  let server: TestServer;
  let events: BotEvent[];
  let pulls: ReturnType<typeof recordPulls>;
  let ann: Person;
  let bob: Person;
  let carl: Person;
  let bot: number;

  const chat = (id: number) => server.db.one<any>('SELECT * FROM chats WHERE id = $1', [id]);
  const members = async (id: number) =>
    (await server.db.query<any>('SELECT user_id FROM chat_members WHERE chat_id = $1 ORDER BY user_id', [id])).map(
      (r) => r.user_id,
    );

  before(async () => {
    server = await startTestServer({ clock: new ManualClock() });
    events = recordEvents(server);
    pulls = recordPulls(server);
    ann = await person(server, 'Ann');
    bob = await person(server, 'Bob');
    carl = await person(server, 'Carl');
    bot = await registerBot(server, 'app1', 'joiner');
  });
  after(() => server.close());
  beforeEach(() => {
    events.length = 0;
    pulls.clear();
  });

  describe('im.chat.add', () => {
    it('without params: a closed chat of the caller alone, named by the platform', async () => {
      const res = await ann.call('im.chat.add', {});
      assert.equal(res.status, 200);
      const row = await chat(res.body.result);
      assert.equal(row.type, 'C');
      assert.equal(row.owner_id, ann.id);
      assert.equal(row.title, `Chat №${row.id}`);
      assert.deepEqual(await members(row.id), [ann.id]);
    });

    it('members, type, colour, binding and a first message; unknown ids dropped; bots told they joined', async () => {
      const res = await ann.call('im.chat.add', {
        TYPE: 'OPEN',
        COLOR: 'mint',
        DESCRIPTION: 'About plants',
        USERS: [bob.id, carl.id, bot, 999999, 'x'],
        ENTITY_TYPE: 'CRM',
        ENTITY_ID: 'DEAL|7',
        MESSAGE: 'Welcome!',
      });
      const row = await chat(res.body.result);
      assert.equal(row.type, 'O');
      assert.equal(row.color, 'MINT');
      assert.equal(row.title, 'Chat with Bob, Carl, joiner Bot');
      assert.deepEqual(
        await members(row.id),
        [ann.id, bob.id, carl.id, bot].sort((a, b) => a - b),
      );
      const join = events.find((e) => e.event === 'ONIMBOTJOINCHAT')!;
      assert.deepEqual(join.botIds, [bot]);
      assert.equal(join.userId, ann.id);
      assert.deepEqual(join.params, {
        CHAT_TYPE: 'O',
        MESSAGE_TYPE: 'O',
        BOT_ID: String(bot),
        USER_ID: String(ann.id),
        CHAT_ID: String(row.id),
        CHAT_AUTHOR_ID: String(ann.id),
        CHAT_ENTITY_TYPE: 'CRM',
        CHAT_ENTITY_ID: 'DEAL|7',
        ACCESS_HISTORY: '1',
        DIALOG_ID: `chat${row.id}`,
        LANGUAGE: 'en',
      });
      const first = await server.db.one<any>('SELECT * FROM messages WHERE chat_id = $1', [row.id]);
      assert.equal(first.text, 'Welcome!');
      assert.deepEqual([...pulls.named('messageChat').keys()].sort(), [ann.id, bob.id, carl.id, bot].sort());
    });
  });

  describe('im.chat.get', () => {
    it('AVATAR as imbot.chat.add takes it: a readable image kept, anything else dropped', async () => {
      const kept = await ann.call('im.chat.add', { AVATAR: gif(8, 8).toString('base64') });
      assert.match((await chat(kept.body.result)).avatar, /^\/upload\/avatar\/.+\.gif$/);
      const dropped = await ann.call('im.chat.add', { AVATAR: 'aGVsbG8=' });
      assert.equal(dropped.status, 200);
      assert.equal((await chat(dropped.body.result)).avatar, '');
    });

    it('finds the chat of a binding for any caller (chatGet checks no access), else null', async () => {
      const id = (await ann.call('im.chat.add', { USERS: [bob.id], ENTITY_TYPE: 'TASKS', ENTITY_ID: '42' })).body
        .result;
      assert.deepEqual((await bob.call('im.chat.get', { ENTITY_TYPE: 'TASKS', ENTITY_ID: '42' })).body.result, {
        ID: id,
      });
      assert.deepEqual((await carl.call('im.chat.get', { ENTITY_TYPE: 'TASKS', ENTITY_ID: '42' })).body.result, {
        ID: id,
      });
      assert.equal((await bob.call('im.chat.get', { ENTITY_TYPE: 'TASKS' })).body.result, null);
      assert.equal((await bob.call('im.chat.get', { ENTITY_TYPE: 'TASKS', ENTITY_ID: '43' })).body.result, null);
    });
  });

  describe('im.chat.user.add', () => {
    it('adds people: chatUserAdd to everyone, the "invited" notice, bots told whether they see the history', async () => {
      const id = (await ann.call('im.chat.add', { TITLE: 'Grow', USERS: [bob.id] })).body.result;
      await bob.call('im.message.add', { DIALOG_ID: `chat${id}`, MESSAGE: 'before' });
      pulls.clear();
      const res = await ann.call('im.chat.user.add', { CHAT_ID: id, USERS: [carl.id, bot, bob.id] });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.result, true);
      assert.deepEqual(
        await members(id),
        [ann.id, bob.id, carl.id, bot].sort((a, b) => a - b),
      );
      const added = pulls.named('chatUserAdd');
      assert.deepEqual([...added.keys()].sort(), [ann.id, bob.id, carl.id, bot].sort());
      assert.deepEqual(added.get(bob.id)!.newUsers.sort(), [carl.id, bot].sort());
      assert.equal(added.get(bob.id)!.userCount, 4);
      assert.equal(added.get(bob.id)!.dialogId, `chat${id}`);
      assert.ok(added.get(bob.id)!.users[carl.id]);
      const notice = await server.db.one<any>('SELECT * FROM messages WHERE chat_id = $1 ORDER BY id DESC LIMIT 1', [
        id,
      ]);
      assert.equal(notice.system, true);
      assert.deepEqual(notice.params, { CODE: ['CHAT_JOIN'], NOTIFY: 'N' });
      const join = events.find((e) => e.event === 'ONIMBOTJOINCHAT')!;
      assert.equal(join.params.ACCESS_HISTORY, '0', 'HIDE_HISTORY defaults to Y');
      const carlView = await carl.call('im.dialog.messages.get', { DIALOG_ID: `chat${id}`, FIRST_ID: 0 });
      assert.deepEqual(
        carlView.body.result.messages.map((m: any) => m.id),
        [notice.id],
        'hidden history',
      );
    });

    it('HIDE_HISTORY=N shows the history and says so to the bot', async () => {
      const id = (await ann.call('im.chat.add', { USERS: [bob.id] })).body.result;
      await ann.call('im.message.add', { DIALOG_ID: `chat${id}`, MESSAGE: 'old news' });
      events.length = 0;
      await ann.call('im.chat.user.add', { CHAT_ID: id, USERS: [bot], HIDE_HISTORY: 'N' });
      assert.equal(events.find((e) => e.event === 'ONIMBOTJOINCHAT')!.params.ACCESS_HISTORY, '1');
      const counters = await server.db.one<any>(
        'SELECT start_id, last_read_id FROM chat_members WHERE chat_id = $1 AND user_id = $2',
        [id, bot],
      );
      assert.equal(counters.start_id, 0);
      assert.ok(counters.last_read_id > 0, 'the history it joins is read');
    });

    it('errors, and nothing changes', async () => {
      const id = (await ann.call('im.chat.add', { USERS: [bob.id] })).body.result;
      await ann.call('im.message.add', { DIALOG_ID: String(bob.id), MESSAGE: 'private' });
      const privateChat = (await server.db.one<any>("SELECT id FROM chats WHERE type = 'P' ORDER BY id DESC LIMIT 1"))
        .id;
      const before = await snapshot(server, events);
      pulls.clear();
      const forbidden = 'It is forbidden to add users to this chat';
      const cases: [Person, Record<string, unknown>, number, string, string?][] = [
        [ann, { USERS: [carl.id] }, 400, 'CHAT_ID_EMPTY', "Chat ID can't be empty"],
        [ann, { CHAT_ID: 'x', USERS: [carl.id] }, 400, 'CHAT_ID_EMPTY'],
        // CIMChat::AddUser refuses both; chatUserAdd words every refusal of it the same
        [
          carl,
          { CHAT_ID: id, USERS: [carl.id] },
          400,
          'WRONG_REQUEST',
          "You don't have access or user already member in chat",
        ],
        [
          ann,
          { CHAT_ID: 999999, USERS: [carl.id] },
          400,
          'WRONG_REQUEST',
          "You don't have access or user already member in chat",
        ],
        [ann, { CHAT_ID: privateChat, USERS: [carl.id] }, 403, 'ACCESS_ERROR', forbidden],
      ];
      for (const [who, params, status, code, description] of cases) {
        assertError(await who.call('im.chat.user.add', params), status, code, description);
      }
      assert.deepEqual(await snapshot(server, events), before);
      assert.equal(pulls.list.length, 0);
    });

    it('nobody new to add answers true and changes nothing, as the newest CIMChat::AddUser answers', async () => {
      const id = (await ann.call('im.chat.add', { USERS: [bob.id] })).body.result;
      const before = await snapshot(server, events);
      pulls.clear();
      for (const params of [{ CHAT_ID: id, USERS: [bob.id] }, { CHAT_ID: id }, { CHAT_ID: id, USERS: [999999] }]) {
        const res = await ann.call('im.chat.user.add', params);
        assert.equal(res.body.result, true, JSON.stringify(res.body));
      }
      assert.deepEqual(await snapshot(server, events), before);
      assert.equal(pulls.list.length, 0);
    });
  });

  describe('im.chat.user.delete and im.chat.leave', () => {
    it('the owner removes a member, a member leaves: notices and chatUserLeave to everyone who was in', async () => {
      const id = (await ann.call('im.chat.add', { TITLE: 'Shrink', USERS: [bob.id, carl.id, bot] })).body.result;
      pulls.clear();
      const removed = await ann.call('im.chat.user.delete', { CHAT_ID: id, USER_ID: carl.id });
      assert.equal(removed.status, 200, JSON.stringify(removed.body));
      assert.equal(removed.body.result, true);
      assert.deepEqual(
        await members(id),
        [ann.id, bob.id, bot].sort((a, b) => a - b),
      );
      const left = pulls.named('chatUserLeave');
      assert.deepEqual([...left.keys()].sort(), [ann.id, bob.id, carl.id, bot].sort());
      assert.equal(left.get(carl.id)!.userId, carl.id);
      const notice = await server.db.one<any>('SELECT * FROM messages WHERE chat_id = $1 ORDER BY id DESC LIMIT 1', [
        id,
      ]);
      assert.deepEqual(notice.params, { CODE: ['CHAT_LEAVE'], NOTIFY: 'N' });
      assert.match(notice.text, new RegExp(`removed \\[USER=${carl.id} REPLACE\\]`));

      const gone = await bob.call('im.chat.leave', { DIALOG_ID: `chat${id}` });
      assert.equal(gone.status, 200, JSON.stringify(gone.body));
      assert.deepEqual(
        await members(id),
        [ann.id, bot].sort((a, b) => a - b),
      );
      const last = await server.db.one<any>('SELECT * FROM messages WHERE chat_id = $1 ORDER BY id DESC LIMIT 1', [id]);
      assert.equal(last.author_id, bob.id);
    });

    it('errors, and nothing changes', async () => {
      const id = (await ann.call('im.chat.add', { USERS: [bob.id, carl.id] })).body.result;
      await ann.call('im.message.add', { DIALOG_ID: String(bob.id), MESSAGE: 'private' });
      const privateChat = (await server.db.one<any>("SELECT id FROM chats WHERE type = 'P' ORDER BY id DESC LIMIT 1"))
        .id;
      const before = await snapshot(server, events);
      pulls.clear();
      const refused = "You don't have access or user isn't member in chat";
      const cases: [Person, string, Record<string, unknown>, number, string, string?][] = [
        [ann, 'im.chat.user.delete', { USER_ID: bob.id }, 400, 'CHAT_ID_EMPTY', "Chat ID can't be empty"],
        [ann, 'im.chat.user.delete', { CHAT_ID: id }, 400, 'USER_ID_EMPTY', "User ID can't be empty"],
        [ann, 'im.chat.leave', {}, 400, 'CHAT_ID_EMPTY'],
        [ann, 'im.chat.leave', { DIALOG_ID: String(bob.id) }, 400, 'DIALOG_ID_EMPTY'],
        [bob, 'im.chat.user.delete', { CHAT_ID: id, USER_ID: carl.id }, 400, 'WRONG_REQUEST', refused],
        [ann, 'im.chat.user.delete', { CHAT_ID: id, USER_ID: 999999 }, 400, 'WRONG_REQUEST', refused],
        [ann, 'im.chat.user.delete', { CHAT_ID: 999999, USER_ID: bob.id }, 400, 'WRONG_REQUEST', refused],
        [bob, 'im.chat.user.delete', { CHAT_ID: id, USER_ID: ann.id }, 400, 'WRONG_REQUEST', refused],
        [ann, 'im.chat.leave', { CHAT_ID: id }, 403, 'ACCESS_ERROR', 'LEAVE_OWNER_FORBIDDEN'],
        [ann, 'im.chat.user.delete', { CHAT_ID: id, USER_ID: ann.id }, 403, 'ACCESS_ERROR', 'LEAVE_OWNER_FORBIDDEN'],
        [
          ann,
          'im.chat.leave',
          { CHAT_ID: privateChat },
          403,
          'ACCESS_ERROR',
          'It is forbidden to delete users of this chat',
        ],
      ];
      for (const [who, method, params, status, code, description] of cases) {
        assertError(await who.call(method, params), status, code, description);
      }
      assert.deepEqual(await snapshot(server, events), before);
      assert.equal(pulls.list.length, 0);
    });
  });

  describe('im.chat.user.list', () => {
    it('member ids for members; [] for others; CHAT_ID_EMPTY', async () => {
      const closed = (await ann.call('im.chat.add', { USERS: [bob.id] })).body.result;
      const open = (await ann.call('im.chat.add', { TYPE: 'OPEN', USERS: [bob.id] })).body.result;
      assert.deepEqual((await bob.call('im.chat.user.list', { CHAT_ID: closed })).body.result, [ann.id, bob.id]);
      assert.deepEqual((await carl.call('im.chat.user.list', { CHAT_ID: closed })).body.result, []);
      assert.deepEqual((await carl.call('im.chat.user.list', { CHAT_ID: 999999 })).body.result, []);
      assert.deepEqual((await carl.call('im.chat.user.list', { CHAT_ID: open })).body.result, [ann.id, bob.id]);
      assertError(await carl.call('im.chat.user.list', {}), 400, 'CHAT_ID_EMPTY', "Chat ID can't be empty");
    });
  });
});
