import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ManualClock } from '../../src/clock.ts';
import type { BotEvent } from '../../src/domain/events.ts';
import { startTestServer, type TestServer } from '../helpers/harness.ts';
import {
  assertError,
  HANDLER,
  type Person,
  person,
  recordEvents,
  recordPulls,
  registerBot,
  rowCount,
  snapshot,
} from '../helpers/messenger.ts';

describe('im.message.* and the bot events they fire', () => {
  let server: TestServer;
  const clock = new ManualClock();
  let events: BotEvent[];
  let pulls: ReturnType<typeof recordPulls>;
  let ann: Person;
  let bob: Person;
  let carl: Person;
  let bee: number;
  let sup: number;
  let hum: number;
  let min: number;
  let chatId: number;
  let privateChatWithBee: number;

  const message = (id: number) => server.db.one<any>('SELECT * FROM messages WHERE id = $1', [id]);
  const named = (name: string) => events.filter((e) => e.event === name);

  before(async () => {
    server = await startTestServer({ clock });
    events = recordEvents(server);
    pulls = recordPulls(server);
    ann = await person(server, 'Ann', 'Smith');
    bob = await person(server, 'Bob');
    carl = await person(server, 'Carl');
    bee = await registerBot(server, 'app1', 'bee');
    sup = await registerBot(server, 'app1', 'sup', { TYPE: 'S' });
    hum = await registerBot(server, 'app1', 'hum', { TYPE: 'H' });
    // Only the required handlers: no EVENT_MESSAGE_UPDATE / EVENT_MESSAGE_DELETE.
    min = await registerBot(server, 'app3', 'min', {
      EVENT_HANDLER: undefined,
      EVENT_MESSAGE_ADD: HANDLER,
      EVENT_WELCOME_MESSAGE: HANDLER,
      EVENT_BOT_DELETE: HANDLER,
    });
    chatId = (await ann.call('im.chat.add', { TITLE: 'Garden', COLOR: 'brown', USERS: [bob.id, bee, sup, min] })).body
      .result;
    await ann.call('im.message.add', { DIALOG_ID: String(bee), MESSAGE: 'first' });
    privateChatWithBee = (await server.db.one<any>('SELECT chat_id FROM messages ORDER BY id DESC LIMIT 1')).chat_id;
  });
  after(() => server.close());
  beforeEach(() => {
    events.length = 0;
    pulls.clear();
  });

  describe('im.message.add', () => {
    it('to a user: `message` to both of them only, counters and TEMPLATE_ID as uuid', async () => {
      const res = await ann.call('im.message.add', {
        DIALOG_ID: String(bob.id),
        MESSAGE: 'Hi Bob',
        TEMPLATE_ID: 'uuid-1',
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const row = await message(res.body.result);
      assert.equal(row.uuid, 'uuid-1');
      const sent = pulls.named('message');
      assert.deepEqual([...sent.keys()].sort(), [ann.id, bob.id].sort());
      assert.equal(sent.get(bob.id)!.dialogId, String(ann.id));
      assert.equal(sent.get(bob.id)!.counter, 1);
      assert.equal(sent.get(ann.id)!.counter, 0);
      assert.equal(sent.get(bob.id)!.message.templateId, 'uuid-1');
      assert.equal(events.length, 0, 'people tell no bot');
    });

    it('a UUIDv4 TEMPLATE_ID sent again within the hour answers the first message and stores nothing', async () => {
      const uuid = '3f2b8c1e-9a4d-4e7b-8c2f-1d5e6a7b8c9d';
      const params = { DIALOG_ID: String(bob.id), MESSAGE: 'Once only', TEMPLATE_ID: uuid };
      const first = await ann.call('im.message.add', params);
      assert.equal(first.status, 200, JSON.stringify(first.body));
      pulls.clear();
      const count = await rowCount(server, 'messages');
      const again = await ann.call('im.message.add', params);
      assert.equal(again.body.result, first.body.result);
      assert.equal(await rowCount(server, 'messages'), count);
      assert.equal(pulls.list.length, 0, 'nothing announced twice');
      // Someone else's uuid is theirs alone; after an hour the uuid is free again (Bitrix\Im\Message\Uuid::TTL).
      const bobs = await bob.call('im.message.add', { ...params, DIALOG_ID: String(ann.id) });
      assert.notEqual(bobs.body.result, first.body.result);
      clock.advance(3600 * 1000 + 1);
      const later = await ann.call('im.message.add', params);
      assert.notEqual(later.body.result, first.body.result);
    });

    it("to a bot's private dialog: ONIMBOTMESSAGEADD with the documented fields", async () => {
      const res = await ann.call('im.message.add', { DIALOG_ID: String(bee), MESSAGE: 'How are you?' });
      const id = res.body.result;
      assert.deepEqual(named('ONIMBOTMESSAGEADD').length, 1);
      const [event] = events;
      assert.deepEqual(event.botIds, [bee]);
      assert.equal(event.userId, ann.id);
      assert.equal(event.dialogId, String(ann.id));
      assert.deepEqual(event.params, {
        MESSAGE: 'How are you?',
        TEMPLATE_ID: '',
        MESSAGE_TYPE: 'P',
        FROM_USER_ID: String(ann.id),
        DIALOG_ID: String(ann.id),
        TO_CHAT_ID: String(privateChatWithBee),
        AUTHOR_ID: String(ann.id),
        SYSTEM: 'N',
        TO_USER_ID: String(bee),
        PUSH: 'Y',
        PUSH_IMPORTANT: 'N',
        RECENT_SKIP_AUTHOR: 'N',
        CONVERT: 'N',
        SKIP_COMMAND: 'N',
        SKIP_COUNTER_INCREMENTS: 'N',
        SILENT_CONNECTOR: 'N',
        SKIP_CONNECTOR: 'N',
        IMPORTANT_CONNECTOR: 'N',
        NO_SESSION_OL: 'N',
        FAKE_RELATION: '0',
        SKIP_URL_INDEX: 'N',
        COMMAND_CONTEXT: 'TEXTAREA',
        CHAT_USER_COUNT: '2',
        PLATFORM_CONTEXT: 'web',
        MESSAGE_ID: String(id),
        CHAT_TYPE: 'P',
        LANGUAGE: 'en',
      });
    });

    it('in a group chat: supervisors always, other bots only when mentioned', async () => {
      await bob.call('im.message.add', { DIALOG_ID: `chat${chatId}`, MESSAGE: 'Just talking' });
      assert.deepEqual(
        events.map((e) => e.botIds),
        [[sup]],
      );
      events.length = 0;
      const prev = (await server.db.one<any>('SELECT last_message_id FROM chats WHERE id = $1', [chatId]))
        .last_message_id;
      const text = `[USER=${bee}]bee Bot[/USER], water the [b]roses[/b]`;
      const id = (await bob.call('im.message.add', { DIALOG_ID: `chat${chatId}`, MESSAGE: text })).body.result;
      const [event] = events;
      assert.equal(events.length, 1, 'one event for every bot told');
      assert.deepEqual(event.botIds.sort(), [bee, sup].sort());
      assert.equal(event.dialogId, `chat${chatId}`);
      assert.deepEqual(
        {
          MESSAGE: event.params.MESSAGE,
          MESSAGE_ORIGINAL: event.params.MESSAGE_ORIGINAL,
          MENTIONED_LIST: event.params.MENTIONED_LIST,
          TO_USER_ID: event.params.TO_USER_ID,
          CHAT_ID: event.params.CHAT_ID,
          CHAT_TITLE: event.params.CHAT_TITLE,
          CHAT_AUTHOR_ID: event.params.CHAT_AUTHOR_ID,
          CHAT_TYPE: event.params.CHAT_TYPE,
          CHAT_COLOR: event.params.CHAT_COLOR,
          CHAT_PREV_MESSAGE_ID: event.params.CHAT_PREV_MESSAGE_ID,
          CHAT_USER_COUNT: event.params.CHAT_USER_COUNT,
          DIALOG_ID: event.params.DIALOG_ID,
          MESSAGE_ID: event.params.MESSAGE_ID,
          IS_MANAGER: event.params.IS_MANAGER,
        },
        {
          MESSAGE: 'water the [b]roses[/b]',
          MESSAGE_ORIGINAL: text,
          MENTIONED_LIST: { [bee]: String(bee) },
          TO_USER_ID: String(bee),
          CHAT_ID: String(chatId),
          CHAT_TITLE: 'Garden',
          CHAT_AUTHOR_ID: String(ann.id),
          CHAT_TYPE: 'C',
          CHAT_COLOR: 'BROWN',
          CHAT_PREV_MESSAGE_ID: String(prev),
          CHAT_USER_COUNT: '5',
          DIALOG_ID: `chat${chatId}`,
          MESSAGE_ID: String(id),
          IS_MANAGER: 'N',
        },
      );
      const chat = pulls.named('messageChat');
      assert.deepEqual([...chat.keys()].sort(), [ann.id, bob.id, bee, sup, min].sort());
      assert.equal(chat.get(ann.id)!.counter, 2, "Ann has not read Bob's two messages");
    });

    it('system messages and mentions of bots outside the chat tell no bot', async () => {
      await bob.call('im.message.add', { DIALOG_ID: `chat${chatId}`, MESSAGE: 'note', SYSTEM: 'Y' });
      await ann.call('im.message.add', { DIALOG_ID: String(bob.id), MESSAGE: `[USER=${hum}]hum[/USER] hi` });
      assert.equal(events.length, 0);
    });

    it('ATTACH alone is a message; REPLY_ID must be a visible message of the same chat', async () => {
      const res = await ann.call('im.message.add', { DIALOG_ID: `chat${chatId}`, ATTACH: [{ MESSAGE: 'card' }] });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const reply = await ann.call('im.message.add', {
        DIALOG_ID: `chat${chatId}`,
        MESSAGE: 're',
        REPLY_ID: res.body.result,
      });
      assert.equal((await message(reply.body.result)).params.REPLY_ID, res.body.result);
      const before = await snapshot(server, events);
      assertError(
        await ann.call('im.message.add', { DIALOG_ID: String(bob.id), MESSAGE: 're', REPLY_ID: res.body.result }),
        400,
        'REPLY_FROM_OTHER_CHAT_ERROR',
        'You can only reply to a message within the same chat',
      );
      const hidden = (await carl.call('im.message.add', { DIALOG_ID: String(bob.id), MESSAGE: 'secret' })).body.result;
      const after2 = await snapshot(server, events);
      assertError(
        await ann.call('im.message.add', { DIALOG_ID: `chat${chatId}`, MESSAGE: 're', REPLY_ID: hidden }),
        403,
        'REPLY_ACCESS_ERROR',
        'Action unavailable',
      );
      assert.equal((await snapshot(server, events)).messages, after2.messages);
      assert.equal(after2.messages, (before.messages as number) + 1);
    });

    it("a person's message ends their own typing", async () => {
      await ann.call('im.dialog.writing', { DIALOG_ID: `chat${chatId}` });
      pulls.clear();
      await ann.call('im.message.add', { DIALOG_ID: `chat${chatId}`, MESSAGE: 'done typing' });
      const stop = pulls.named('stopWriting');
      assert.deepEqual([...stop.keys()].sort(), [bob.id, bee, sup, min].sort());
      assert.equal(stop.get(bob.id)!.userId, ann.id);
    });

    it('a TYPE=H bot types while it works on a message', async () => {
      await ann.call('im.message.add', { DIALOG_ID: String(hum), MESSAGE: 'question' });
      const start = pulls.named('startWriting');
      assert.deepEqual([...start.keys()], [ann.id]);
      assert.deepEqual(start.get(ann.id), { dialogId: String(hum), userId: hum, userName: 'hum Bot' });
      await ann.call('im.message.add', { DIALOG_ID: String(bee), MESSAGE: 'question' });
      assert.equal(pulls.named('startWriting').size, 1, 'a TYPE=B bot does not');
    });

    const refused: [string, Record<string, unknown>, number, string, string?][] = [
      ['no MESSAGE', { DIALOG_ID: '1' }, 400, 'MESSAGE_EMPTY', "Message can't be empty"],
      ['blank MESSAGE', { DIALOG_ID: '1', MESSAGE: '   ' }, 400, 'MESSAGE_EMPTY'],
      ['MESSAGE not a string', { DIALOG_ID: '1', MESSAGE: { a: 1 } }, 400, 'MESSAGE_EMPTY', 'Wrong message type'],
      ['no DIALOG_ID', { MESSAGE: 'x' }, 400, 'PARAMS_ERROR', 'Incorrect params'],
      ['DIALOG_ID no user id', { DIALOG_ID: 'abc', MESSAGE: 'x' }, 400, 'USER_ID_EMPTY', "User ID can't be empty"],
      ['unknown user', { DIALOG_ID: '999999', MESSAGE: 'x' }, 400, 'USER_NOT_FOUND', 'User not found'],
      ['chat0', { DIALOG_ID: 'chat0', MESSAGE: 'x' }, 400, 'CHAT_ID_EMPTY', "Chat ID can't be empty"],
      ['unknown chat', { DIALOG_ID: 'chat999999', MESSAGE: 'x' }, 400, 'CHAT_ID', 'Error creating message'],
      ['bad ATTACH', { DIALOG_ID: '1', MESSAGE: 'x', ATTACH: { BLOCKS: [{ MESSAGE: '' }] } }, 400, 'ATTACH_ERROR'],
      [
        'ATTACH of 60,000 characters',
        { DIALOG_ID: '1', MESSAGE: 'x', ATTACH: [{ MESSAGE: 'a'.repeat(60_000) }] },
        400,
        'ATTACH_OVERSIZE',
        'You have exceeded the maximum allowable size of attach',
      ],
      [
        'bad KEYBOARD',
        { DIALOG_ID: '1', MESSAGE: 'x', KEYBOARD: [{ TEXT: 't', LINK: 'javascript:x' }] },
        400,
        'KEYBOARD_ERROR',
      ],
      ['bad MENU', { DIALOG_ID: '1', MESSAGE: 'x', MENU: { ITEMS: [] } }, 400, 'MENU_ERROR'],
    ];
    for (const [name, params, status, code, description] of refused) {
      it(`${name} → ${status} ${code}, nothing changes`, async () => {
        const before = await snapshot(server, events);
        assertError(await ann.call('im.message.add', params), status, code, description);
        assert.deepEqual(await snapshot(server, events), before);
        assert.equal(pulls.list.length, 0);
      });
    }

    it('a chat one is not in, or oneself → ACCESS_ERROR', async () => {
      const before = await snapshot(server, events);
      assertError(
        await carl.call('im.message.add', { DIALOG_ID: `chat${chatId}`, MESSAGE: 'x' }),
        403,
        'ACCESS_ERROR',
        'Action unavailable',
      );
      assertError(await carl.call('im.message.add', { DIALOG_ID: String(carl.id), MESSAGE: 'x' }), 403, 'ACCESS_ERROR');
      assert.deepEqual(await snapshot(server, events), before);
    });
  });

  describe('im.message.update', () => {
    it('marks a new text edited, tells the members and the bots that saw it', async () => {
      const id = (await ann.call('im.message.add', { DIALOG_ID: String(bee), MESSAGE: 'tpyo' })).body.result;
      events.length = 0;
      pulls.clear();
      const res = await ann.call('im.message.update', { MESSAGE_ID: id, MESSAGE: 'typo' });
      assert.equal(res.body.result, true);
      const row = await message(id);
      assert.equal(row.text, 'typo');
      assert.equal(row.params.IS_EDITED, 'Y');
      const update = pulls.named('messageUpdate');
      assert.deepEqual([...update.keys()].sort(), [ann.id, bee].sort());
      assert.equal(update.get(bee)!.dialogId, String(ann.id));
      assert.equal(update.get(bee)!.fromUserId, ann.id);
      assert.equal(update.get(bee)!.toUserId, bee);
      const [event] = named('ONIMBOTMESSAGEUPDATE');
      assert.deepEqual(event.botIds, [bee]);
      assert.deepEqual(event.params, {
        ID: String(id),
        CHAT_ID: String(privateChatWithBee),
        AUTHOR_ID: String(ann.id),
        MESSAGE: 'typo',
        MESSAGE_TYPE: 'P',
        CHAT_AUTHOR_ID: String(ann.id),
        CHAT_ENTITY_ID: '',
        CHAT_ENTITY_DATA_1: '',
        CHAT_ENTITY_DATA_2: '',
        CHAT_ENTITY_DATA_3: '',
        FROM_USER_ID: String(ann.id),
        TO_USER_ID: String(bee),
        CHAT_USER_COUNT: '2',
        PLATFORM_CONTEXT: 'web',
        DIALOG_ID: String(ann.id),
        MESSAGE_ID: String(id),
        CHAT_TYPE: 'P',
        LANGUAGE: 'en',
      });
    });

    it('only bots with an EVENT_MESSAGE_UPDATE handler hear of edits', async () => {
      const text = `[USER=${min}]min[/USER] [USER=${bee}]bee[/USER] hello`;
      const id = (await bob.call('im.message.add', { DIALOG_ID: `chat${chatId}`, MESSAGE: text })).body.result;
      assert.deepEqual(named('ONIMBOTMESSAGEADD')[0].botIds.sort(), [min, bee, sup].sort());
      events.length = 0;
      await bob.call('im.message.update', { MESSAGE_ID: id, MESSAGE: `${text}!` });
      assert.deepEqual(named('ONIMBOTMESSAGEUPDATE')[0].botIds.sort(), [bee, sup].sort());
      events.length = 0;
      await bob.call('im.message.delete', { MESSAGE_ID: id });
      assert.deepEqual(named('ONIMBOTMESSAGEDELETE')[0].botIds.sort(), [bee, sup].sort());
    });

    it('IS_EDITED=N spares the mark when only ATTACH changes', async () => {
      const id = (await ann.call('im.message.add', { DIALOG_ID: String(bob.id), MESSAGE: 'card' })).body.result;
      await ann.call('im.message.update', { MESSAGE_ID: id, ATTACH: [{ MESSAGE: 'new' }], IS_EDITED: 'N' });
      const row = await message(id);
      assert.equal(row.params.IS_EDITED, undefined);
      assert.equal(row.params.ATTACH[0].BLOCKS[0].MESSAGE, 'new');
    });

    it('errors, and nothing changes', async () => {
      const mine = (await ann.call('im.message.add', { DIALOG_ID: String(bob.id), MESSAGE: 'mine' })).body.result;
      const theirs = (await bob.call('im.message.add', { DIALOG_ID: String(ann.id), MESSAGE: 'theirs' })).body.result;
      const before = await snapshot(server, events);
      const cases: [Record<string, unknown>, number, string, string?][] = [
        [{ MESSAGE: 'x' }, 400, 'MESSAGE_ID_ERROR', "Message ID can't be empty"],
        [{ MESSAGE_ID: -5, MESSAGE: 'x' }, 400, 'MESSAGE_ID_ERROR'],
        [
          { MESSAGE_ID: theirs, MESSAGE: 'x' },
          403,
          'CANT_EDIT_MESSAGE',
          "Time has expired for modification or you don't have access",
        ],
        [{ MESSAGE_ID: 999999, MESSAGE: 'x' }, 403, 'CANT_EDIT_MESSAGE'],
        [{ MESSAGE_ID: mine, MENU: [{ TEXT: 'no action' }] }, 400, 'menu_ERROR', 'Incorrect menu params'],
        [{ MESSAGE_ID: mine, KEYBOARD: [{ TEXT: 'k'.repeat(60_000), COMMAND: 'x' }] }, 400, 'KEYBOARD_OVERSIZE'],
        [{ MESSAGE_ID: mine, ATTACH: '[' }, 400, 'ATTACH_ERROR'],
        [{ MESSAGE_ID: mine, ATTACH: [{ MESSAGE: 'a'.repeat(60_000) }] }, 400, 'ATTACH_OVERSIZE'],
        [{ MESSAGE_ID: mine, KEYBOARD: [{ TEXT: 'k' }] }, 400, 'KEYBOARD_ERROR'],
        [{ MESSAGE_ID: mine, MENU: [{ TEXT: 'm'.repeat(60_000), COMMAND: 'x' }] }, 400, 'MENU_OVERSIZE'],
      ];
      for (const [params, status, code, description] of cases) {
        assertError(await ann.call('im.message.update', params), status, code, description);
      }
      clock.advance(3 * 24 * 3600 * 1000 + 1);
      assertError(await ann.call('im.message.update', { MESSAGE_ID: mine, MESSAGE: 'late' }), 403, 'CANT_EDIT_MESSAGE');
      assert.deepEqual(await snapshot(server, events), before);
    });
  });

  describe('im.message.delete', () => {
    it("leaves a mark, tells the members and the bot, with the platform's placeholder text", async () => {
      const id = (await ann.call('im.message.add', { DIALOG_ID: String(bee), MESSAGE: 'oops' })).body.result;
      const created = (await message(id)).created_at as Date;
      events.length = 0;
      pulls.clear();
      assert.equal((await ann.call('im.message.delete', { MESSAGE_ID: id })).body.result, true);
      const row = await message(id);
      assert.equal(row.deleted, true);
      assert.equal(row.text, 'This message was deleted.');
      assert.deepEqual([...pulls.named('messageDelete').keys()].sort(), [ann.id, bee].sort());
      const [event] = named('ONIMBOTMESSAGEDELETE');
      const two = (n: number) => String(n).padStart(2, '0');
      const date =
        `${two(created.getMonth() + 1)}/${two(created.getDate())}/${created.getFullYear()} ` +
        `${two(created.getHours())}:${two(created.getMinutes())}:${two(created.getSeconds())}`;
      assert.equal(event.params.MESSAGE, `Message from ${date} has been deleted`);
      assert.equal(event.params.ID, String(id));
      assert.equal(event.params.TO_USER_ID, String(bee));
    });

    it('errors, and nothing changes', async () => {
      const theirs = (await bob.call('im.message.add', { DIALOG_ID: String(ann.id), MESSAGE: 'theirs' })).body.result;
      const gone = (await ann.call('im.message.add', { DIALOG_ID: String(bob.id), MESSAGE: 'gone' })).body.result;
      await ann.call('im.message.delete', { MESSAGE_ID: gone });
      const before = await snapshot(server, events);
      assertError(await ann.call('im.message.delete', {}), 400, 'MESSAGE_ID_ERROR', "Message ID can't be empty");
      assertError(await ann.call('im.message.delete', { MESSAGE_ID: 'x' }), 400, 'MESSAGE_ID_ERROR');
      for (const id of [theirs, gone, 999999]) {
        assertError(await ann.call('im.message.delete', { MESSAGE_ID: id }), 403, 'CANT_EDIT_MESSAGE');
      }
      assert.deepEqual(await snapshot(server, events), before);
    });
  });
});
