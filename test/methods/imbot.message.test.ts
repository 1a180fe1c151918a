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

describe('imbot.message.*', () => {
  let server: TestServer;
  const clock = new ManualClock();
  let pulls: ReturnType<typeof recordPulls>;
  let events: BotEvent[];
  let ann: Person;
  let bob: Person;
  let botId: number;
  let otherBotId: number;
  let chatId: number;
  let foreignChatId: number;
  const app1 = { CLIENT_ID: 'app1' };

  const send = (params: Record<string, unknown>) => server.call('imbot.message.add', { ...app1, ...params });
  const message = (id: number) => server.db.one<any>('SELECT * FROM messages WHERE id = $1', [id]);

  before(async () => {
    server = await startTestServer({ clock });
    pulls = recordPulls(server);
    events = recordEvents(server);
    ann = await person(server, 'Ann', 'Smith');
    bob = await person(server, 'Bob');
    botId = await registerBot(server, 'app1', 'helper');
    otherBotId = await registerBot(server, 'app2', 'stranger');
    chatId = (await server.call('imbot.chat.add', { ...app1, TITLE: 'Team', USERS: [ann.id, bob.id] })).body.result;
    foreignChatId = (await bob.call('im.chat.add', { TITLE: 'No bots', USERS: [ann.id] })).body.result;
  });
  after(() => server.close());
  beforeEach(() => {
    pulls.clear();
    events.length = 0;
  });

  describe('imbot.message.add', () => {
    it('sends to a user: trimmed BB-code text, `message` to both sides, the bot told it joined the dialog', async () => {
      const res = await send({ DIALOG_ID: String(ann.id), MESSAGE: '  Hello [b]Ann[/b][BR]  ' });
      assert.equal(res.status, 200);
      const id = res.body.result;
      assert.equal(typeof id, 'number');
      const row = await message(id);
      assert.equal(row.text, 'Hello [b]Ann[/b]');
      assert.equal(row.author_id, botId);
      const message2 = pulls.named('message');
      assert.deepEqual([...message2.keys()].sort(), [ann.id, botId].sort());
      assert.equal(message2.get(ann.id)!.dialogId, String(botId), 'Ann sees the bot as the dialog');
      assert.equal(message2.get(botId)!.dialogId, String(ann.id));
      assert.equal(message2.get(ann.id)!.message.senderId, botId);
      assert.equal(message2.get(ann.id)!.message.recipientId, ann.id);
      assert.equal(message2.get(ann.id)!.counter, 1, 'unread for Ann');
      assert.equal(message2.get(botId)!.counter, 0);
      assert.deepEqual(
        events.map((e) => e.event),
        ['ONIMBOTJOINCHAT'],
        'a bot message tells no bot; opening the dialog is a join',
      );
      assert.deepEqual(events[0].params, {
        CHAT_TYPE: 'P',
        MESSAGE_TYPE: 'P',
        BOT_ID: String(botId),
        USER_ID: String(ann.id),
        TO_USER_ID: String(ann.id),
        FROM_USER_ID: String(botId),
        DIALOG_ID: String(ann.id),
        LANGUAGE: 'en',
      });
      assert.equal(events[0].userId, ann.id);
    });

    it('sends to a chat: `messageChat` to exactly its members', async () => {
      const res = await send({ DIALOG_ID: `chat${chatId}`, MESSAGE: 'Hi team' });
      assert.equal(res.status, 200);
      const chat = pulls.named('messageChat');
      assert.deepEqual([...chat.keys()].sort(), [botId, ann.id, bob.id].sort());
      const params = chat.get(ann.id)!;
      assert.equal(params.dialogId, `chat${chatId}`);
      assert.equal(params.chatId, chatId);
      assert.equal(params.message.recipientId, `chat${chatId}`);
      assert.equal(params.message.text, 'Hi team');
      assert.deepEqual(params.userInChat[chatId].sort(), [botId, ann.id, bob.id].sort());
      assert.equal(params.users[botId].bot, true);
      assert.equal(pulls.named('message').size, 0);
    });

    it('SYSTEM=Y in a chat is a system message signed with the bot name', async () => {
      const res = await send({ DIALOG_ID: `chat${chatId}`, MESSAGE: 'Deploy done', SYSTEM: 'Y' });
      const row = await message(res.body.result);
      assert.equal(row.system, true);
      assert.equal(row.text, 'helper Bot:\nDeploy done');
    });

    it('FROM_USER_ID + TO_USER_ID: a system message in their dialog, DIALOG_ID ignored', async () => {
      const res = await send({ FROM_USER_ID: ann.id, TO_USER_ID: bob.id, DIALOG_ID: 'garbage', MESSAGE: 'Reminder' });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const row = await message(res.body.result);
      assert.equal(row.author_id, ann.id);
      assert.equal(row.system, true);
      assert.deepEqual([...pulls.named('message').keys()].sort(), [ann.id, bob.id].sort());
    });

    it('stores ATTACH, KEYBOARD and MENU in all their accepted forms', async () => {
      const forms = [
        JSON.stringify({ BLOCKS: [{ MESSAGE: 'text' }] }),
        { ID: 7, COLOR_TOKEN: 'primary', BLOCKS: [{ LINK: { NAME: 'Open', LINK: 'https://example.com' } }] },
        [{ GRID: [{ DISPLAY: 'ROW', NAME: 'Status', VALUE: 'Done' }] }, { DELIMITER: {} }],
      ];
      for (const attach of forms) {
        const res = await send({
          DIALOG_ID: String(ann.id),
          MESSAGE: 'with extras',
          ATTACH: attach,
          KEYBOARD: [{ TEXT: 'Again', COMMAND: 'echo' }, { TYPE: 'NEWLINE' }, { TEXT: 'Site', LINK: '/about/' }],
          MENU: { ITEMS: [{ TEXT: 'Help', COMMAND: 'help' }] },
        });
        assert.equal(res.status, 200, JSON.stringify(res.body));
        const row = await message(res.body.result);
        assert.equal(row.params.ATTACH.length, 1);
        assert.ok(row.params.ATTACH[0].BLOCKS.length >= 1);
        assert.equal(row.params.KEYBOARD[0].BOT_ID, botId);
        assert.equal(row.params.KEYBOARD[1].TYPE, 'NEWLINE');
        assert.equal(row.params.MENU[0].TEXT, 'Help');
      }
      const full = await send({ DIALOG_ID: String(ann.id), MESSAGE: 'x', ATTACH: forms[1] });
      assert.deepEqual((await message(full.body.result)).params.ATTACH[0], {
        ID: 7,
        COLOR_TOKEN: 'primary',
        BLOCKS: [{ LINK: { NAME: 'Open', LINK: 'https://example.com' } }],
      });
    });

    it('a bot message ends its "typing…" in that dialog (stopWriting)', async () => {
      await server.call('imbot.chat.sendTyping', { ...app1, DIALOG_ID: `chat${chatId}` });
      pulls.clear();
      await send({ DIALOG_ID: `chat${chatId}`, MESSAGE: 'Here it is' });
      const stop = pulls.named('stopWriting');
      assert.deepEqual([...stop.keys()].sort(), [ann.id, bob.id].sort());
      assert.deepEqual(stop.get(ann.id), { dialogId: `chat${chatId}`, userId: botId, userName: 'helper Bot' });
      assert.equal((await server.app.domain.typing.list({ kind: 'chat', chatId })).length, 0);
    });

    const big = 'x'.repeat(60_000);
    const refused: [string, Record<string, unknown>, number, string, string?][] = [
      ['unknown BOT_ID', { BOT_ID: 999999, DIALOG_ID: '1', MESSAGE: 'x' }, 400, 'BOT_ID_ERROR', 'Bot not found'],
      ['DIALOG_ID missing', { MESSAGE: 'x' }, 400, 'DIALOG_ID_EMPTY', "Dialog ID can't be empty"],
      ['DIALOG_ID malformed', { DIALOG_ID: 'chatX', MESSAGE: 'x' }, 400, 'DIALOG_ID_EMPTY'],
      ['MESSAGE missing', { DIALOG_ID: '1' }, 400, 'MESSAGE_EMPTY', "Message can't be empty"],
      ['MESSAGE blank', { DIALOG_ID: '1', MESSAGE: ' [br] ' }, 400, 'MESSAGE_EMPTY'],
      [
        'ATTACH not JSON',
        { DIALOG_ID: '1', MESSAGE: 'x', ATTACH: '{oops' },
        400,
        'ATTACH_ERROR',
        'Incorrect attach params',
      ],
      ['ATTACH unknown block', { DIALOG_ID: '1', MESSAGE: 'x', ATTACH: [{ VIDEO: 'x' }] }, 400, 'ATTACH_ERROR'],
      ['ATTACH two keys', { DIALOG_ID: '1', MESSAGE: 'x', ATTACH: [{ MESSAGE: 'a', LINK: {} }] }, 400, 'ATTACH_ERROR'],
      [
        'ATTACH link without URL',
        { DIALOG_ID: '1', MESSAGE: 'x', ATTACH: [{ LINK: { NAME: 'a' } }] },
        400,
        'ATTACH_ERROR',
      ],
      [
        'ATTACH bad link',
        { DIALOG_ID: '1', MESSAGE: 'x', ATTACH: [{ IMAGE: { LINK: 'ftp://a' } }] },
        400,
        'ATTACH_ERROR',
      ],
      [
        'ATTACH grid display',
        { DIALOG_ID: '1', MESSAGE: 'x', ATTACH: [{ GRID: [{ NAME: 'a' }] }] },
        400,
        'ATTACH_ERROR',
      ],
      ['ATTACH no blocks', { DIALOG_ID: '1', MESSAGE: 'x', ATTACH: { BLOCKS: [] } }, 400, 'ATTACH_ERROR'],
      [
        'ATTACH of 60,000 characters',
        { DIALOG_ID: '1', MESSAGE: 'x', ATTACH: [{ MESSAGE: big }] },
        400,
        'ATTACH_OVERSIZE',
        'You have exceeded the maximum allowable size of attach',
      ],
      [
        'KEYBOARD button without action',
        { DIALOG_ID: '1', MESSAGE: 'x', KEYBOARD: [{ TEXT: 'Hi' }] },
        400,
        'KEYBOARD_ERROR',
        'Incorrect keyboard params',
      ],
      ['KEYBOARD not JSON', { DIALOG_ID: '1', MESSAGE: 'x', KEYBOARD: 'nope' }, 400, 'KEYBOARD_ERROR'],
      [
        'KEYBOARD no text',
        { DIALOG_ID: '1', MESSAGE: 'x', KEYBOARD: { BUTTONS: [{ COMMAND: 'a' }] } },
        400,
        'KEYBOARD_ERROR',
      ],
      [
        'KEYBOARD of 60,000 characters',
        { DIALOG_ID: '1', MESSAGE: 'x', KEYBOARD: [{ TEXT: big, COMMAND: 'a' }] },
        400,
        'KEYBOARD_OVERSIZE',
        'You have exceeded the maximum allowable size of keyboard',
      ],
      [
        'MENU item without action',
        { DIALOG_ID: '1', MESSAGE: 'x', MENU: [{ TEXT: 'a' }] },
        400,
        'MENU_ERROR',
        'Incorrect menu params',
      ],
      [
        'MENU of 60,000 characters',
        { DIALOG_ID: '1', MESSAGE: 'x', MENU: [{ TEXT: big, LINK: 'https://a.b' }] },
        400,
        'MENU_OVERSIZE',
        'You have exceeded the maximum allowable size of menu',
      ],
      ['unknown user', { DIALOG_ID: '999999', MESSAGE: 'x' }, 400, 'WRONG_REQUEST', "Message isn't added"],
      ['unknown chat', { DIALOG_ID: 'chat999999', MESSAGE: 'x' }, 400, 'WRONG_REQUEST', "Message isn't added"],
      ['FROM/TO unknown user', { FROM_USER_ID: 1, TO_USER_ID: 999999, MESSAGE: 'x' }, 400, 'WRONG_REQUEST'],
    ];
    for (const [name, params, status, code, description] of refused) {
      it(`${name} → ${status} ${code}, nothing changes`, async () => {
        const before = await snapshot(server, events);
        assertError(await send(params), status, code, description);
        assert.deepEqual(await snapshot(server, events), before);
        assert.equal(pulls.list.length, 0);
      });
    }

    it('a bot of another application → APP_ID_ERROR', async () => {
      assertError(
        await send({ BOT_ID: otherBotId, DIALOG_ID: '1', MESSAGE: 'x' }),
        400,
        'APP_ID_ERROR',
        'Bot was installed by another rest application',
      );
    });

    it('a chat the bot is not in, or the bot itself → WRONG_REQUEST, nothing changes', async () => {
      const before = await snapshot(server, events);
      for (const dialog of [`chat${foreignChatId}`, String(botId)]) {
        assertError(await send({ DIALOG_ID: dialog, MESSAGE: 'x' }), 400, 'WRONG_REQUEST', "Message isn't added");
      }
      assert.deepEqual(await snapshot(server, events), before);
    });
  });

  describe('imbot.message.update', () => {
    let id: number;
    beforeEach(async () => {
      id = (
        await send({
          DIALOG_ID: `chat${chatId}`,
          MESSAGE: 'Draft',
          ATTACH: [{ MESSAGE: 'a' }],
          KEYBOARD: [{ TEXT: 'k', COMMAND: 'k' }],
        })
      ).body.result;
      pulls.clear();
    });

    it('changes the text (no "edited" mark for a bot) and tells the members', async () => {
      const res = await server.call('imbot.message.update', { ...app1, MESSAGE_ID: id, MESSAGE: ' Final ' });
      assert.equal(res.status, 200);
      assert.equal(res.body.result, true);
      const row = await message(id);
      assert.equal(row.text, 'Final');
      assert.equal(row.params.IS_EDITED, undefined);
      assert.ok(row.params.ATTACH, 'untouched extras stay');
      const update = pulls.named('messageUpdate');
      assert.deepEqual([...update.keys()].sort(), [botId, ann.id, bob.id].sort());
      assert.equal(update.get(ann.id)!.text, 'Final');
      assert.equal(update.get(ann.id)!.dialogId, `chat${chatId}`);
    });

    it('ATTACH=N and an empty KEYBOARD clear them; MENU is set', async () => {
      const res = await server.call('imbot.message.update', {
        ...app1,
        MESSAGE_ID: id,
        ATTACH: 'N',
        KEYBOARD: '',
        MENU: [{ TEXT: 'Open', LINK: 'https://example.com' }],
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const row = await message(id);
      assert.equal(row.params.ATTACH, undefined);
      assert.equal(row.params.KEYBOARD, undefined);
      assert.equal(row.params.MENU[0].TEXT, 'Open');
      assert.equal(row.text, 'Draft');
    });

    it('an empty MESSAGE deletes the message', async () => {
      await server.call('imbot.message.update', { ...app1, MESSAGE_ID: id, MESSAGE: '' });
      const row = await message(id);
      assert.equal(row.deleted, true);
      assert.deepEqual(row.params, { IS_DELETED: 'Y' });
      assert.equal(pulls.named('messageDelete').size, 3);
    });

    it('can edit for three days by the server clock, not a moment longer', async () => {
      clock.advance(3 * 24 * 3600 * 1000);
      assert.equal((await server.call('imbot.message.update', { ...app1, MESSAGE_ID: id, MESSAGE: 'ok' })).status, 200);
      clock.advance(1000);
      const before = await snapshot(server, events);
      assertError(
        await server.call('imbot.message.update', { ...app1, MESSAGE_ID: id, MESSAGE: 'late' }),
        403,
        'CANT_EDIT_MESSAGE',
        "Time has expired for modification or you don't have access",
      );
      assert.deepEqual(await snapshot(server, events), before);
    });

    const refusals: [string, (id: number) => Record<string, unknown>, number, string, string?][] = [
      ['MESSAGE_ID missing', () => ({ MESSAGE: 'x' }), 400, 'MESSAGE_ID_ERROR', "Message ID can't be empty"],
      ['MESSAGE_ID zero', () => ({ MESSAGE_ID: 0, MESSAGE: 'x' }), 400, 'MESSAGE_ID_ERROR'],
      ['MESSAGE_ID not a number', () => ({ MESSAGE_ID: 'abc', MESSAGE: 'x' }), 400, 'MESSAGE_ID_ERROR'],
      ['unknown message', () => ({ MESSAGE_ID: 999999, MESSAGE: 'x' }), 403, 'CANT_EDIT_MESSAGE'],
      ['malformed ATTACH', (id) => ({ MESSAGE_ID: id, MESSAGE: 'x', ATTACH: [{ NOPE: 1 }] }), 400, 'ATTACH_ERROR'],
      ['malformed KEYBOARD', (id) => ({ MESSAGE_ID: id, MESSAGE: 'x', KEYBOARD: [{}] }), 400, 'KEYBOARD_ERROR'],
      ['malformed MENU', (id) => ({ MESSAGE_ID: id, MESSAGE: 'x', MENU: [{ TEXT: 'a' }] }), 400, 'MENU_ERROR'],
      [
        'ATTACH of 60,000 characters',
        (id) => ({ MESSAGE_ID: id, ATTACH: [{ MESSAGE: 'y'.repeat(60_000) }] }),
        400,
        'ATTACH_OVERSIZE',
      ],
      [
        'KEYBOARD of 60,000 characters',
        (id) => ({ MESSAGE_ID: id, KEYBOARD: [{ TEXT: 'y'.repeat(60_000), COMMAND: 'y' }] }),
        400,
        'KEYBOARD_OVERSIZE',
      ],
      [
        'MENU of 60,000 characters',
        (id) => ({ MESSAGE_ID: id, MENU: [{ TEXT: 'y'.repeat(60_000), COMMAND: 'y' }] }),
        400,
        'MENU_OVERSIZE',
      ],
      [
        'unknown BOT_ID',
        (id) => ({ MESSAGE_ID: id, MESSAGE: 'x', BOT_ID: 999999 }),
        400,
        'BOT_ID_ERROR',
        'Bot not found',
      ],
    ];
    for (const [name, params, status, code, description] of refusals) {
      it(`${name} → ${status} ${code}, nothing changes`, async () => {
        const before = await snapshot(server, events);
        assertError(await server.call('imbot.message.update', { ...app1, ...params(id) }), status, code, description);
        assert.deepEqual(await snapshot(server, events), before);
        assert.equal(pulls.list.length, 0);
      });
    }

    it("someone else's message → CANT_EDIT_MESSAGE", async () => {
      const theirs = (await ann.call('im.message.add', { DIALOG_ID: `chat${chatId}`, MESSAGE: 'mine' })).body.result;
      assertError(
        await server.call('imbot.message.update', { ...app1, MESSAGE_ID: theirs, MESSAGE: 'x' }),
        403,
        'CANT_EDIT_MESSAGE',
      );
      assert.equal((await message(theirs)).text, 'mine');
    });
  });

  it('update, delete and like refuse a bot of another application (APP_ID_ERROR) or none (BOT_ID_ERROR)', async () => {
    const id = (await send({ DIALOG_ID: `chat${chatId}`, MESSAGE: 'guarded' })).body.result;
    const before = await snapshot(server, events);
    for (const method of ['imbot.message.update', 'imbot.message.delete', 'imbot.message.like']) {
      assertError(
        await server.call(method, { ...app1, BOT_ID: otherBotId, MESSAGE_ID: id, MESSAGE: 'x' }),
        400,
        'APP_ID_ERROR',
        'Bot was installed by another rest application',
      );
      assertError(
        await server.call(method, { CLIENT_ID: 'nobots', MESSAGE_ID: id }),
        400,
        'BOT_ID_ERROR',
        'Bot not found',
      );
    }
    assert.deepEqual(await snapshot(server, events), before);
  });

  describe('imbot.message.delete', () => {
    let id: number;
    beforeEach(async () => {
      id = (await send({ DIALOG_ID: `chat${chatId}`, MESSAGE: 'Oops' })).body.result;
      pulls.clear();
    });

    it('leaves a "deleted" mark by default', async () => {
      const res = await server.call('imbot.message.delete', { ...app1, MESSAGE_ID: id });
      assert.equal(res.body.result, true);
      const row = await message(id);
      assert.equal(row.deleted, true);
      assert.equal(row.text, 'This message was deleted.');
      const deleted = pulls.named('messageDelete');
      assert.deepEqual([...deleted.keys()].sort(), [botId, ann.id, bob.id].sort());
      assert.equal(deleted.get(bob.id)!.params.IS_DELETED, 'Y');
    });

    it('COMPLETE=Y removes it entirely, and the chat forgets it as its last message', async () => {
      const res = await server.call('imbot.message.delete', { ...app1, MESSAGE_ID: id, COMPLETE: 'Y' });
      assert.equal(res.body.result, true);
      assert.equal(await message(id), undefined);
      const chat = await server.db.one<any>('SELECT last_message_id FROM chats WHERE id = $1', [chatId]);
      assert.ok(chat.last_message_id < id);
      assert.equal(pulls.named('messageDeleteComplete').size, 3);
    });

    it('errors: MESSAGE_ID_ERROR, CANT_EDIT_MESSAGE for deleted, foreign or old messages; nothing changes', async () => {
      await server.call('imbot.message.delete', { ...app1, MESSAGE_ID: id });
      const theirs = (await ann.call('im.message.add', { DIALOG_ID: `chat${chatId}`, MESSAGE: 'keep' })).body.result;
      const old = (await send({ DIALOG_ID: `chat${chatId}`, MESSAGE: 'old' })).body.result;
      clock.advance(3 * 24 * 3600 * 1000 + 1);
      const before = await snapshot(server, events);
      assertError(
        await server.call('imbot.message.delete', app1),
        400,
        'MESSAGE_ID_ERROR',
        "Message ID can't be empty",
      );
      for (const target of [id, theirs, old, 999999]) {
        assertError(
          await server.call('imbot.message.delete', { ...app1, MESSAGE_ID: target, COMPLETE: 'Y' }),
          403,
          'CANT_EDIT_MESSAGE',
          "Time has expired for modification or you don't have access",
        );
      }
      assert.deepEqual(await snapshot(server, events), before);
    });
  });

  describe('imbot.message.like', () => {
    let id: number;
    beforeEach(async () => {
      id = (await ann.call('im.message.add', { DIALOG_ID: `chat${chatId}`, MESSAGE: 'Like me' })).body.result;
      pulls.clear();
    });
    const like = (params: Record<string, unknown>) => server.call('imbot.message.like', { ...app1, ...params });

    it('plus, minus and auto change the like; no change is WITHOUT_CHANGES', async () => {
      assert.equal((await like({ MESSAGE_ID: id, ACTION: 'plus' })).body.result, true);
      assert.deepEqual((await message(id)).params.LIKE, [botId]);
      const liked = pulls.named('messageLike');
      assert.deepEqual([...liked.keys()].sort(), [botId, ann.id, bob.id].sort());
      assert.deepEqual(liked.get(ann.id), {
        id,
        dialogId: `chat${chatId}`,
        chatId,
        senderId: botId,
        set: true,
        users: [botId],
      });
      assertError(
        await like({ MESSAGE_ID: id, ACTION: 'plus' }),
        400,
        'WITHOUT_CHANGES',
        'Action completed without changes',
      );
      assert.equal((await like({ MESSAGE_ID: id, ACTION: 'minus' })).body.result, true);
      assert.equal((await message(id)).params.LIKE, undefined);
      assertError(await like({ MESSAGE_ID: id, ACTION: 'minus' }), 400, 'WITHOUT_CHANGES');
      assert.equal((await like({ MESSAGE_ID: id })).body.result, true, 'auto by default');
      assert.equal((await like({ MESSAGE_ID: id, ACTION: 'bogus' })).body.result, true, 'unknown → auto');
      assert.equal((await message(id)).params.LIKE, undefined);
    });

    it('MESSAGE_ID_ERROR; a message the bot cannot see → WITHOUT_CHANGES', async () => {
      assertError(await like({}), 400, 'MESSAGE_ID_ERROR');
      const hidden = (await bob.call('im.message.add', { DIALOG_ID: `chat${foreignChatId}`, MESSAGE: 'private' })).body
        .result;
      const before = await snapshot(server, events);
      assertError(await like({ MESSAGE_ID: hidden, ACTION: 'plus' }), 400, 'WITHOUT_CHANGES');
      assert.deepEqual(await snapshot(server, events), before);
    });
  });
});
