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
  snapshot,
} from '../helpers/messenger.ts';

const LANG = [{ LANGUAGE_ID: 'en', TITLE: 'Echo', PARAMS: 'text' }];

describe('imbot.command.*', () => {
  let server: TestServer;
  let events: BotEvent[];
  let pulls: ReturnType<typeof recordPulls>;
  let ann: Person;
  let bob: Person;
  let botId: number;
  let humanBotId: number;
  let otherBotId: number;
  let echoId: number;
  let commonId: number;
  let teamChat: number;
  let plainChat: number;
  const app1 = { CLIENT_ID: 'app1' };

  const register = (params: Record<string, unknown>) =>
    server.call('imbot.command.register', { ...app1, BOT_ID: botId, EVENT_COMMAND_ADD: HANDLER, LANG, ...params });
  const commands = () => events.filter((e) => e.event === 'ONIMCOMMANDADD');
  const row = (id: number) => server.db.one<any>('SELECT * FROM commands WHERE id = $1', [id]);

  before(async () => {
    server = await startTestServer({ clock: new ManualClock() });
    events = recordEvents(server);
    pulls = recordPulls(server);
    ann = await person(server, 'Ann');
    bob = await person(server, 'Bob');
    botId = await registerBot(server, 'app1', 'echobot');
    humanBotId = await registerBot(server, 'app1', 'humanbot', { TYPE: 'H' });
    otherBotId = await registerBot(server, 'app2', 'other');
    echoId = (await register({ COMMAND: 'echo' })).body.result;
    commonId = (await register({ COMMAND: 'help', COMMON: 'Y' })).body.result;
    teamChat = (await ann.call('im.chat.add', { TITLE: 'Team', USERS: [bob.id, botId] })).body.result;
    plainChat = (await ann.call('im.chat.add', { TITLE: 'Plain', USERS: [bob.id] })).body.result;
  });
  after(() => server.close());
  beforeEach(() => {
    events.length = 0;
    pulls.clear();
  });

  describe('imbot.command.register', () => {
    it('registers; the same bot and command again gives the same id; a leading slash is dropped', async () => {
      assert.equal(typeof echoId, 'number');
      assert.equal((await register({ COMMAND: '/echo' })).body.result, echoId);
      const stored = await row(echoId);
      assert.equal(stored.command, 'echo');
      assert.equal(stored.bot_id, botId);
      assert.deepEqual(stored.lang, LANG);
      assert.equal((await row(commonId)).common, true);
    });

    it("one handler per application: a new URL moves all the application's commands", async () => {
      const id = (await register({ COMMAND: 'ping', EVENT_COMMAND_ADD: 'https://example.com/new' })).body.result;
      assert.equal((await row(echoId)).handler, 'https://example.com/new');
      assert.equal((await row(id)).handler, 'https://example.com/new');
      await register({ COMMAND: 'ping', EVENT_COMMAND_ADD: HANDLER });
      assert.equal((await row(echoId)).handler, HANDLER);
    });

    const refused: [string, Record<string, unknown>, number, string, string][] = [
      [
        'no handler',
        { EVENT_COMMAND_ADD: '' },
        400,
        'EVENT_COMMAND_ADD_ERROR',
        'Handler for "Command add" event isn\'t specified',
      ],
      ['bad handler', { EVENT_COMMAND_ADD: 'not a url' }, 400, 'EVENT_COMMAND_ADD_ERROR', 'Wrong handler URL'],
      ['no COMMAND', {}, 400, 'COMMAND_ERROR', "Command isn't specified"],
      ['no BOT_ID', { COMMAND: 'x', BOT_ID: undefined }, 400, 'BOT_ID_ERROR', 'Bot not found'],
      ['unknown BOT_ID', { COMMAND: 'x', BOT_ID: 999999 }, 400, 'BOT_ID_ERROR', 'Bot not found'],
      ['no LANG', { COMMAND: 'x', LANG: [] }, 400, 'LANG_ERROR', "Lang set can't be empty"],
      [
        'LANG without titles',
        { COMMAND: 'x', LANG: [{ LANGUAGE_ID: 'en' }] },
        400,
        'LANG_ERROR',
        "Lang set can't be empty",
      ],
      ['COMMAND with a space', { COMMAND: 'two words' }, 400, 'WRONG_REQUEST', "Command can't be created"],
      ['COMMAND with symbols', { COMMAND: 'do-it!' }, 400, 'WRONG_REQUEST', "Command can't be created"],
    ];
    for (const [name, params, status, code, description] of refused) {
      it(`${name} → ${code}, nothing changes`, async () => {
        const before = await snapshot(server, events);
        assertError(await register(params), status, code, description);
        assert.deepEqual(await snapshot(server, events), before);
      });
    }

    it('a bot of another application → APP_ID_ERROR; no CLIENT_ID over a webhook → ACCESS_DENIED', async () => {
      assertError(
        await register({ COMMAND: 'x', BOT_ID: otherBotId }),
        400,
        'APP_ID_ERROR',
        'Bot was installed by another rest application',
      );
      const res = await server.call('imbot.command.register', {
        BOT_ID: botId,
        COMMAND: 'x',
        EVENT_COMMAND_ADD: HANDLER,
        LANG,
      });
      assertError(res, 403, 'ACCESS_DENIED', 'Access denied! Client ID not specified');
    });
  });

  describe('dispatch (ONIMCOMMANDADD)', () => {
    it("in the bot's private dialog: one event per command, and no ONIMBOTMESSAGEADD", async () => {
      const id = (await ann.call('im.message.add', { DIALOG_ID: String(botId), MESSAGE: '/echo hello world' })).body
        .result;
      assert.deepEqual(
        events.map((e) => e.event),
        ['ONIMBOTJOINCHAT', 'ONIMCOMMANDADD'],
      );
      const [event] = commands();
      assert.deepEqual(event.botIds, [botId]);
      assert.equal(event.commandId, echoId);
      assert.equal(event.userId, ann.id);
      assert.equal(event.dialogId, String(ann.id));
      assert.deepEqual(event.command, {
        command: 'echo',
        params: 'hello world',
        context: 'TEXTAREA',
        messageId: id,
        handler: HANDLER,
      });
      assert.equal(event.params.MESSAGE, '/echo hello world');
      assert.equal(event.params.MESSAGE_ID, String(id));
      assert.equal(event.params.TO_USER_ID, String(botId));
      assert.equal(event.params.CHAT_TYPE, 'P');
      assert.equal(event.params.SKIP_USER_CHECK, 'Y');
    });

    it('several command lines run each command once per parameter set', async () => {
      await ann.call('im.message.add', { DIALOG_ID: String(botId), MESSAGE: '/echo a\n/help\n/echo a\n/echo b' });
      assert.deepEqual(
        commands().map((e) => [e.commandId, e.command!.params]),
        [
          [echoId, 'a'],
          [commonId, ''],
          [echoId, 'b'],
        ],
      );
      assert.equal(events.filter((e) => e.event === 'ONIMBOTMESSAGEADD').length, 0);
    });

    it('in a chat the bot is in, a command needs no mention; BOT_IN_CHAT lists the bots', async () => {
      await bob.call('im.message.add', { DIALOG_ID: `chat${teamChat}`, MESSAGE: '/echo hi' });
      const [event] = commands();
      assert.equal(event.dialogId, `chat${teamChat}`);
      assert.equal(event.params.CHAT_ID, String(teamChat));
      assert.equal(event.params.CHAT_TITLE, 'Team');
      assert.deepEqual(event.params.BOT_IN_CHAT, { [botId]: String(botId) });
    });

    it('where the bot is absent only COMMON commands run', async () => {
      await bob.call('im.message.add', { DIALOG_ID: `chat${plainChat}`, MESSAGE: '/echo hi' });
      await bob.call('im.message.add', { DIALOG_ID: String(ann.id), MESSAGE: '/echo hi' });
      assert.equal(commands().length, 0);
      await bob.call('im.message.add', { DIALOG_ID: `chat${plainChat}`, MESSAGE: '/help me' });
      await bob.call('im.message.add', { DIALOG_ID: String(ann.id), MESSAGE: '/help' });
      assert.deepEqual(
        commands().map((e) => [e.commandId, e.dialogId]),
        [
          [commonId, `chat${plainChat}`],
          [commonId, String(bob.id)],
        ],
      );
    });

    it('an unknown command is an ordinary message; bots run no commands', async () => {
      await ann.call('im.message.add', { DIALOG_ID: String(botId), MESSAGE: '/unknown' });
      assert.deepEqual(
        events.map((e) => e.event),
        ['ONIMBOTMESSAGEADD'],
      );
      events.length = 0;
      await server.call('imbot.message.add', {
        ...app1,
        BOT_ID: botId,
        DIALOG_ID: `chat${teamChat}`,
        MESSAGE: '/echo me',
      });
      assert.equal(events.length, 0);
    });

    it('a TYPE=H bot shows "typing…" once its command is dispatched', async () => {
      const cmd = (await register({ BOT_ID: humanBotId, COMMAND: 'ask' })).body.result;
      await ann.call('im.message.add', { DIALOG_ID: String(humanBotId), MESSAGE: '/ask why' });
      assert.ok(commands().some((e) => e.commandId === cmd));
      const start = pulls.named('startWriting');
      assert.deepEqual([...start.keys()], [ann.id]);
      assert.equal(start.get(ann.id)!.userId, humanBotId);
      assert.equal(start.get(ann.id)!.dialogId, String(humanBotId));
      pulls.clear();
      await server.call('imbot.message.add', {
        ...app1,
        BOT_ID: humanBotId,
        DIALOG_ID: String(ann.id),
        MESSAGE: 'because',
      });
      assert.equal(pulls.named('stopWriting').get(ann.id)!.userId, humanBotId, 'the reply ends it');
    });
  });

  describe('imbot.command.update', () => {
    const update = (params: Record<string, unknown>) => server.call('imbot.command.update', { ...app1, ...params });

    it('renames, hides and relocalises', async () => {
      const id = (await register({ COMMAND: 'old' })).body.result;
      const res = await update({
        COMMAND_ID: id,
        FIELDS: { COMMAND: 'renamed', HIDDEN: 'Y', LANG: [{ LANGUAGE_ID: 'de', TITLE: 'Neu' }] },
      });
      assert.equal(res.body.result, true);
      const stored = await row(id);
      assert.equal(stored.command, 'renamed');
      assert.equal(stored.hidden, true);
      assert.deepEqual(stored.lang, [{ LANGUAGE_ID: 'de', TITLE: 'Neu', PARAMS: '' }]);
    });

    it('errors, and nothing changes', async () => {
      const otherCmd = (
        await server.call('imbot.command.register', {
          CLIENT_ID: 'app2',
          BOT_ID: otherBotId,
          COMMAND: 'theirs',
          EVENT_COMMAND_ADD: HANDLER,
          LANG,
        })
      ).body.result;
      const before = await snapshot(server, events);
      assertError(await update({ FIELDS: { HIDDEN: 'Y' } }), 400, 'COMMAND_ID_ERROR', 'Command not found');
      assertError(await update({ COMMAND_ID: 999999, FIELDS: { HIDDEN: 'Y' } }), 400, 'COMMAND_ID_ERROR');
      assertError(
        await update({ COMMAND_ID: otherCmd, FIELDS: { HIDDEN: 'Y' } }),
        400,
        'APP_ID_ERROR',
        'Command was installed by another rest application',
      );
      assertError(
        await update({ COMMAND_ID: echoId, FIELDS: { EVENT_COMMAND_ADD: 'nope' } }),
        400,
        'EVENT_COMMAND_ADD_ERROR',
        'Wrong handler URL',
      );
      assertError(await update({ COMMAND_ID: echoId }), 400, 'WRONG_REQUEST', "Update fields can't be empty");
      assertError(
        await update({ COMMAND_ID: echoId, FIELDS: {} }),
        400,
        'WRONG_REQUEST',
        "Update fields can't be empty",
      );
      assertError(
        await update({ COMMAND_ID: echoId, FIELDS: { COMMAND: 'bad name' } }),
        400,
        'WRONG_REQUEST',
        "Command can't be updated",
      );
      assertError(
        await update({ COMMAND_ID: echoId, FIELDS: { COMMAND: 'help' } }),
        400,
        'WRONG_REQUEST',
        "Command can't be updated",
      );
      assert.deepEqual(await snapshot(server, events), before);
      assert.equal((await row(echoId)).command, 'echo');
    });
  });

  describe('imbot.command.unregister', () => {
    it('removes the command; errors change nothing', async () => {
      const id = (await register({ COMMAND: 'gone' })).body.result;
      const theirs = (
        await server.call('imbot.command.register', {
          CLIENT_ID: 'app2',
          BOT_ID: otherBotId,
          COMMAND: 'keep',
          EVENT_COMMAND_ADD: HANDLER,
          LANG,
        })
      ).body.result;
      const before = await snapshot(server, events);
      assertError(await server.call('imbot.command.unregister', app1), 400, 'COMMAND_ID_ERROR', 'Command not found');
      assertError(
        await server.call('imbot.command.unregister', { ...app1, COMMAND_ID: 999999 }),
        400,
        'COMMAND_ID_ERROR',
      );
      assertError(
        await server.call('imbot.command.unregister', { ...app1, COMMAND_ID: theirs }),
        400,
        'APP_ID_ERROR',
        'Command was installed by another rest application',
      );
      assert.deepEqual(await snapshot(server, events), before);
      assert.equal((await server.call('imbot.command.unregister', { ...app1, COMMAND_ID: id })).body.result, true);
      assert.equal(await row(id), undefined);
    });
  });

  describe('imbot.command.answer', () => {
    const answer = (params: Record<string, unknown>) => server.call('imbot.command.answer', { ...app1, ...params });

    it("replies as the command's bot in the dialog of the invoking message", async () => {
      const asked = (await bob.call('im.message.add', { DIALOG_ID: `chat${teamChat}`, MESSAGE: '/echo ping' })).body
        .result;
      pulls.clear();
      const res = await answer({
        COMMAND_ID: echoId,
        MESSAGE_ID: asked,
        MESSAGE: 'pong',
        KEYBOARD: [{ TEXT: 'Again', COMMAND: 'echo' }],
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const reply = await server.db.one<any>('SELECT * FROM messages WHERE id = $1', [res.body.result]);
      assert.equal(reply.author_id, botId);
      assert.equal(reply.chat_id, teamChat);
      assert.equal(reply.text, 'pong');
      assert.equal(reply.system, false);
      assert.equal(reply.params.KEYBOARD[0].BOT_ID, botId);
      assert.deepEqual([...pulls.named('messageChat').keys()].sort(), [ann.id, bob.id, botId].sort());
      const byName = await answer({ COMMAND: 'echo', MESSAGE_ID: asked, MESSAGE: 'again' });
      assert.equal(byName.status, 200);
    });

    it('attach DELIMITER shorthands in imbot.command.answer: the page example {"DELIMITER": true}, and 1 / Y', async () => {
      const asked = (await bob.call('im.message.add', { DIALOG_ID: `chat${teamChat}`, MESSAGE: '/echo d' })).body
        .result;
      for (const delimiter of [true, 1, 'Y']) {
        const res = await answer({
          COMMAND_ID: echoId,
          MESSAGE_ID: asked,
          MESSAGE: 'Accepted. Executing command.',
          ATTACH: {
            BLOCKS: [
              { MESSAGE: 'Task details' },
              { DELIMITER: delimiter },
              { LINK: { NAME: 'Open', LINK: 'https://example.com' } },
            ],
          },
        });
        assert.equal(res.status, 200, JSON.stringify(res.body));
        const reply = await server.db.one<any>('SELECT params FROM messages WHERE id = $1', [res.body.result]);
        assert.deepEqual(reply.params.ATTACH[0].BLOCKS[1], { DELIMITER: {} });
      }
    });

    it('a COMMON command where the bot is absent is answered with a system message', async () => {
      const asked = (await bob.call('im.message.add', { DIALOG_ID: `chat${plainChat}`, MESSAGE: '/help' })).body.result;
      const res = await answer({ COMMAND_ID: commonId, MESSAGE_ID: asked, MESSAGE: 'Try /echo' });
      const reply = await server.db.one<any>('SELECT * FROM messages WHERE id = $1', [res.body.result]);
      assert.equal(reply.chat_id, plainChat);
      assert.equal(reply.system, true);
    });

    it('errors, and nothing changes', async () => {
      const asked = (await bob.call('im.message.add', { DIALOG_ID: `chat${teamChat}`, MESSAGE: '/echo x' })).body
        .result;
      const unrelated = (await bob.call('im.message.add', { DIALOG_ID: `chat${teamChat}`, MESSAGE: 'hello' })).body
        .result;
      const theirs = (
        await server.call('imbot.command.register', {
          CLIENT_ID: 'app2',
          BOT_ID: otherBotId,
          COMMAND: 'other',
          EVENT_COMMAND_ADD: HANDLER,
          LANG,
        })
      ).body.result;
      const before = await snapshot(server, events);
      const cases: [Record<string, unknown>, number, string, string?][] = [
        // naming no command is no error of its own (commandAnswer): the reply finds no command to go with
        [{ MESSAGE_ID: asked, MESSAGE: 'x' }, 400, 'WRONG_REQUEST', "Message isn't added"],
        [{ COMMAND_ID: 999999, MESSAGE_ID: asked, MESSAGE: 'x' }, 400, 'COMMAND_ID_ERROR'],
        [{ COMMAND: 'nosuch', MESSAGE_ID: asked, MESSAGE: 'x' }, 400, 'COMMAND_ID_ERROR'],
        [
          { COMMAND_ID: theirs, MESSAGE_ID: asked, MESSAGE: 'x' },
          400,
          'APP_ID_ERROR',
          'Command was installed by another rest application',
        ],
        [{ COMMAND_ID: echoId, MESSAGE: 'x' }, 400, 'MESSAGE_ID_EMPTY', "Message ID can't be empty"],
        [{ COMMAND_ID: echoId, MESSAGE_ID: asked }, 400, 'MESSAGE_EMPTY', "Message can't be empty"],
        [{ COMMAND_ID: echoId, MESSAGE_ID: asked, MESSAGE: 'x', ATTACH: [{ BAD: 1 }] }, 400, 'ATTACH_ERROR'],
        [
          { COMMAND_ID: echoId, MESSAGE_ID: asked, MESSAGE: 'x', KEYBOARD: [{ TEXT: 'no action' }] },
          400,
          'KEYBOARD_ERROR',
        ],
        [{ COMMAND_ID: echoId, MESSAGE_ID: asked, MESSAGE: 'x', MENU: 'not json' }, 400, 'MENU_ERROR'],
        [
          { COMMAND_ID: echoId, MESSAGE_ID: asked, MESSAGE: 'x', ATTACH: [{ MESSAGE: 'a'.repeat(60_000) }] },
          400,
          'ATTACH_OVERSIZE',
        ],
        [
          {
            COMMAND_ID: echoId,
            MESSAGE_ID: asked,
            MESSAGE: 'x',
            KEYBOARD: [{ TEXT: 'k'.repeat(60_000), COMMAND: 'k' }],
          },
          400,
          'KEYBOARD_OVERSIZE',
        ],
        [{ COMMAND_ID: echoId, MESSAGE_ID: unrelated, MESSAGE: 'x' }, 400, 'WRONG_REQUEST', "Message isn't added"],
        [{ COMMAND_ID: echoId, MESSAGE_ID: 999999, MESSAGE: 'x' }, 400, 'WRONG_REQUEST', "Message isn't added"],
      ];
      for (const [params, status, code, description] of cases) {
        assertError(await answer(params), status, code, description);
      }
      assert.deepEqual(await snapshot(server, events), before);
    });
  });
});
