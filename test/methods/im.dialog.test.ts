import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ManualClock } from '../../src/clock.ts';
import type { BotEvent } from '../../src/domain/events.ts';
import { startTestServer, type TestServer } from '../helpers/harness.ts';
import {
  assertError,
  type Person,
  person,
  recordEvents,
  recordPulls,
  registerBot,
  snapshot,
} from '../helpers/messenger.ts';

describe('im.dialog.*', () => {
  let server: TestServer;
  const clock = new ManualClock();
  let events: BotEvent[];
  let pulls: ReturnType<typeof recordPulls>;
  let ann: Person;
  let bob: Person;
  let carl: Person;
  let bot: number;
  let chatId: number;
  const ids: number[] = [];

  before(async () => {
    server = await startTestServer({ clock });
    events = recordEvents(server);
    pulls = recordPulls(server);
    ann = await person(server, 'Ann');
    bob = await person(server, 'Bob');
    carl = await person(server, 'Carl');
    bot = await registerBot(server, 'app1', 'reader');
    chatId = (await ann.call('im.chat.add', { TITLE: 'History', USERS: [bob.id] })).body.result;
    for (let i = 1; i <= 12; i++) {
      clock.advance(1000);
      const author = i % 3 === 0 ? ann : bob;
      ids.push((await author.call('im.message.add', { DIALOG_ID: `chat${chatId}`, MESSAGE: `m${i}` })).body.result);
    }
  });
  after(() => server.close());
  beforeEach(() => {
    events.length = 0;
    pulls.clear();
  });

  const texts = (res: { body: any }) => res.body.result.messages.map((m: any) => m.text);

  describe('im.dialog.messages.get', () => {
    it('newest first, with users and the documented message fields', async () => {
      const res = await carl.call('im.dialog.messages.get', { DIALOG_ID: `chat${chatId}` });
      assertError(res, 403, 'ACCESS_ERROR', 'You do not have access to the specified dialog');
      const page = await bob.call('im.dialog.messages.get', { DIALOG_ID: `chat${chatId}`, LIMIT: 3 });
      assert.equal(page.status, 200);
      assert.equal(page.body.result.chat_id, chatId);
      // LIMIT 3 plus Bob's one unread message (Ann's m12: he last wrote m11).
      assert.deepEqual(texts(page), ['m12', 'm11', 'm10', 'm9']);
      assert.deepEqual(Object.keys(page.body.result), ['chat_id', 'messages', 'users', 'files']);
      const [first] = page.body.result.messages;
      assert.deepEqual(Object.keys(first), [
        'id',
        'chat_id',
        'author_id',
        'date',
        'text',
        'unread',
        'uuid',
        'replaces',
        'params',
        'disappearing_date',
      ]);
      assert.equal(first.unread, true, "Ann's m12 is unread for Bob");
      assert.deepEqual(first.params, []);
      assert.deepEqual(page.body.result.users.map((u: any) => u.id).sort(), [ann.id, bob.id].sort());
      assert.deepEqual(page.body.result.files, []);
    });

    it('pages back with LAST_ID and forward with FIRST_ID (FIRST_ID wins); LIMIT caps at 50', async () => {
      const back = await bob.call('im.dialog.messages.get', { DIALOG_ID: `chat${chatId}`, LAST_ID: ids[5], LIMIT: 2 });
      assert.deepEqual(texts(back), ['m5', 'm4']);
      const forward = await bob.call('im.dialog.messages.get', {
        DIALOG_ID: `chat${chatId}`,
        FIRST_ID: ids[5],
        LAST_ID: ids[2],
        LIMIT: 3,
      });
      assert.deepEqual(texts(forward), ['m7', 'm8', 'm9']);
      const all = await bob.call('im.dialog.messages.get', { DIALOG_ID: `chat${chatId}`, FIRST_ID: 0, LIMIT: 500 });
      assert.equal(texts(all).length, 12);
      const beyond = await bob.call('im.dialog.messages.get', { DIALOG_ID: `chat${chatId}`, LAST_ID: 1 });
      assert.deepEqual(beyond.body.result.messages, []);
      assert.deepEqual(beyond.body.result.users, []);
    });

    it('without anchors the page grows by the unread messages', async () => {
      // Ann wrote m9 last: m10, m11 are Bob's (unread for her), m12 is hers.
      const res = await ann.call('im.dialog.messages.get', { DIALOG_ID: `chat${chatId}`, LIMIT: 1 });
      assert.deepEqual(texts(res), ['m12']);
      const fresh = await person(server, 'Dora');
      await ann.call('im.chat.user.add', { CHAT_ID: chatId, USERS: [fresh.id], HIDE_HISTORY: 'N' });
      await bob.call('im.message.add', { DIALOG_ID: `chat${chatId}`, MESSAGE: 'for Dora' });
      const dora = await fresh.call('im.dialog.messages.get', { DIALOG_ID: `chat${chatId}`, LIMIT: 1 });
      // LIMIT 1 plus her two unread: the "invited" notice and Bob's message; the history before is visible.
      assert.deepEqual(texts(dora), [
        'for Dora',
        `[USER=${ann.id} REPLACE]Ann[/USER] invited [USER=${fresh.id} REPLACE]Dora[/USER] to the chat`,
        'm12',
      ]);
    });

    it('members added with hidden history do not see earlier messages; system notices carry author_id 0', async () => {
      const eve = await person(server, 'Eve');
      await ann.call('im.chat.user.add', { CHAT_ID: chatId, USERS: [eve.id] });
      await bob.call('im.message.add', { DIALOG_ID: `chat${chatId}`, MESSAGE: 'welcome Eve' });
      const res = await eve.call('im.dialog.messages.get', { DIALOG_ID: `chat${chatId}`, FIRST_ID: 0 });
      assert.deepEqual(texts(res).length, 2, 'the "invited" notice and what came after');
      assert.equal(texts(res)[1], 'welcome Eve');
      // system notices author_id 0: the page's field table ("0 for system messages") and its "invited" example
      const [notice, welcome] = res.body.result.messages;
      assert.match(notice.text, /invited/);
      assert.equal(notice.author_id, 0);
      assert.equal(welcome.author_id, bob.id);
      const back = await eve.call('im.dialog.messages.get', { DIALOG_ID: `chat${chatId}`, LAST_ID: ids[11] });
      assert.deepEqual(back.body.result.messages, []);
      assert.equal((await eve.call('im.counters.get', {})).body.result.CHAT[chatId], 2);
    });

    it("a user's id opens the private dialog; a bot hears it was opened (once)", async () => {
      const res = await ann.call('im.dialog.messages.get', { DIALOG_ID: String(bot) });
      assert.equal(res.status, 200);
      assert.deepEqual(res.body.result.messages, []);
      assert.equal(typeof res.body.result.chat_id, 'number');
      assert.deepEqual(
        events.map((e) => [e.event, e.botIds, e.params.USER_ID]),
        [['ONIMBOTJOINCHAT', [bot], String(ann.id)]],
      );
      await ann.call('im.dialog.messages.get', { DIALOG_ID: String(bot) });
      assert.equal(events.length, 1);
    });

    const refused: [string, Record<string, unknown>, number, string, string?][] = [
      ['no DIALOG_ID', {}, 400, 'DIALOG_ID_EMPTY', "Dialog ID can't be empty"],
      ['bad DIALOG_ID', { DIALOG_ID: 'chat-1' }, 400, 'DIALOG_ID_EMPTY'],
      [
        'FIRST_ID not digits',
        { DIALOG_ID: 'chat1', FIRST_ID: 'x' },
        400,
        'FIRST_ID_STRING',
        "First ID can't be string",
      ],
      ['LAST_ID not digits', { DIALOG_ID: 'chat1', LAST_ID: '-3' }, 400, 'LAST_ID_STRING', "Last ID can't be string"],
      ['unknown user', { DIALOG_ID: '999999' }, 403, 'ACCESS_ERROR', 'You do not have access to the specified dialog'],
      ['unknown chat', { DIALOG_ID: 'chat999999' }, 403, 'ACCESS_ERROR'],
    ];
    for (const [name, params, status, code, description] of refused) {
      it(`${name} → ${status} ${code}`, async () => {
        const before = await snapshot(server, events);
        assertError(await bob.call('im.dialog.messages.get', params), status, code, description);
        assert.deepEqual(await snapshot(server, events), before);
      });
    }
  });

  describe('im.dialog.read and the counters', () => {
    it('reads up to a message, then all; the mark never moves back; readMessageChat / …Opponent', async () => {
      const dan = await person(server, 'Dan');
      const chat = (await dan.call('im.chat.add', { TITLE: 'Reads', USERS: [ann.id] })).body.result;
      const sent: number[] = [];
      for (const text of ['a', 'b', 'c']) {
        sent.push((await ann.call('im.message.add', { DIALOG_ID: `chat${chat}`, MESSAGE: text })).body.result);
      }
      assert.equal((await dan.call('im.counters.get', {})).body.result.CHAT[chat], 3);
      pulls.clear();
      const res = await dan.call('im.dialog.read', { DIALOG_ID: `chat${chat}`, MESSAGE_ID: sent[1] });
      assert.deepEqual(res.body.result, { dialogId: `chat${chat}`, chatId: chat, lastId: sent[1], counter: 1 });
      const own = pulls.named('readMessageChat');
      assert.deepEqual([...own.keys()], [dan.id]);
      assert.deepEqual(own.get(dan.id)!.viewedMessages, [sent[0], sent[1]]);
      const opponent = pulls.named('readMessageChatOpponent');
      assert.deepEqual([...opponent.keys()], [ann.id]);
      assert.equal(opponent.get(ann.id)!.userId, dan.id);
      assert.equal(opponent.get(ann.id)!.lastId, sent[1]);
      const back = await dan.call('im.dialog.read', { DIALOG_ID: `chat${chat}`, MESSAGE_ID: sent[0] });
      assert.equal(back.body.result.lastId, sent[1], 'never backwards');
      const all = await dan.call('im.dialog.read', { DIALOG_ID: `chat${chat}` });
      assert.deepEqual(all.body.result, { dialogId: `chat${chat}`, chatId: chat, lastId: sent[2], counter: 0 });
      const counters = (await dan.call('im.counters.get', {})).body.result;
      assert.equal(counters.CHAT[chat], undefined);
    });

    it('private dialogs: DIALOG counters by the other person, readMessage / readMessageOpponent', async () => {
      const fay = await person(server, 'Fay');
      await bob.call('im.message.add', { DIALOG_ID: String(fay.id), MESSAGE: 'one' });
      await bob.call('im.message.add', { DIALOG_ID: String(fay.id), MESSAGE: 'two' });
      const counters = (await fay.call('im.counters.get', {})).body.result;
      assert.deepEqual(counters, {
        TYPE: { ALL: 2, NOTIFY: 0, CHAT: 0, LINES: 0, DIALOG: 2, MESSENGER: 2 },
        CHAT: [],
        CHAT_MUTED: [],
        CHAT_UNREAD: [],
        LINES: [],
        DIALOG: { [bob.id]: 2 },
        DIALOG_UNREAD: [],
      });
      pulls.clear();
      const res = await fay.call('im.dialog.read', { DIALOG_ID: String(bob.id) });
      assert.equal(res.body.result.dialogId, String(bob.id));
      assert.equal(res.body.result.counter, 0);
      assert.equal(pulls.named('readMessage').get(fay.id)!.dialogId, String(bob.id));
      assert.equal(pulls.named('readMessageOpponent').get(bob.id)!.dialogId, String(fay.id));
      assert.equal((await fay.call('im.counters.get', {})).body.result.TYPE.ALL, 0);
    });

    it('no access → false; a bad DIALOG_ID → DIALOG_ID_EMPTY', async () => {
      const res = await carl.call('im.dialog.read', { DIALOG_ID: `chat${chatId}` });
      assert.equal(res.status, 200);
      assert.equal(res.body.result, false);
      assertError(
        await carl.call('im.dialog.read', { DIALOG_ID: 'nope' }),
        400,
        'DIALOG_ID_EMPTY',
        "Dialog ID can't be empty",
      );
    });
  });

  describe('im.dialog.get', () => {
    it('the chat as the caller sees it', async () => {
      const res = await bob.call('im.dialog.get', { DIALOG_ID: `chat${chatId}` });
      assert.equal(res.status, 200);
      const dialog = res.body.result;
      assert.equal(dialog.id, chatId);
      assert.equal(dialog.name, 'History');
      assert.equal(dialog.type, 'chat');
      assert.equal(dialog.message_type, 'C');
      assert.equal(dialog.owner, ann.id);
      assert.equal(dialog.dialog_id, `chat${chatId}`);
      assert.equal(dialog.role, 'member');
    });

    it('a user id gives the private dialog; errors', async () => {
      const res = await bob.call('im.dialog.get', { DIALOG_ID: String(ann.id) });
      assert.equal(res.body.result.type, 'private');
      assert.equal(res.body.result.dialog_id, String(ann.id));
      assertError(await bob.call('im.dialog.get', {}), 400, 'DIALOG_ID_EMPTY', "Dialog ID can't be empty");
      assertError(
        await carl.call('im.dialog.get', { DIALOG_ID: `chat${chatId}` }),
        403,
        'ACCESS_ERROR',
        'You do not have access to the specified dialog',
      );
      assertError(await carl.call('im.dialog.get', { DIALOG_ID: String(carl.id) }), 403, 'ACCESS_ERROR');
    });
  });

  describe('im.dialog.writing', () => {
    it("publishes the person's startWriting to the others, like a bot's", async () => {
      const res = await ann.call('im.dialog.writing', { DIALOG_ID: String(bob.id) });
      assert.equal(res.body.result, true);
      const start = pulls.named('startWriting');
      assert.deepEqual([...start.keys()], [bob.id]);
      assert.deepEqual(start.get(bob.id), { dialogId: String(ann.id), userId: ann.id, userName: 'Ann' });
      pulls.clear();
      await ann.call('im.dialog.writing', { CHAT_ID: chatId });
      assert.ok(pulls.named('startWriting').has(bob.id));
    });

    const refused: [string, Record<string, unknown>, number, string, string][] = [
      // dialogWriting hands StartWriting no dialog, which fails
      ['im.dialog.writing with no ids', {}, 403, 'ACCESS_ERROR', 'Action unavailable'],
      ['invalid DIALOG_ID', { DIALOG_ID: 'x1' }, 400, 'DIALOG_ID_EMPTY', "Dialog ID can't be empty"],
      ['bad CHAT_ID', { CHAT_ID: 'x' }, 400, 'CHAT_ID_EMPTY', "Chat ID can't be empty"],
      ['not a member', { DIALOG_ID: 'chat1' }, 403, 'ACCESS_ERROR', 'Action unavailable'],
      ['unknown user', { DIALOG_ID: '999999' }, 403, 'ACCESS_ERROR', 'Action unavailable'],
    ];
    for (const [name, params, status, code, description] of refused) {
      it(`${name} → ${status} ${code}, nobody is told`, async () => {
        assertError(await carl.call('im.dialog.writing', params), status, code, description);
        assert.equal(pulls.list.length, 0);
      });
    }
  });
});
