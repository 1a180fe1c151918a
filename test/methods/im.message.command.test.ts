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

const LANG = [{ LANGUAGE_ID: 'en', TITLE: 'Task', PARAMS: 'number' }];
const KEYBOARD = [{ TEXT: 'Open task 1', COMMAND: 'task', COMMAND_PARAMS: 'task #1' }];

describe('im.message.command', () => {
  let server: TestServer;
  let events: BotEvent[];
  let pulls: ReturnType<typeof recordPulls>;
  let ann: Person;
  let bob: Person;
  let carl: Person;
  let botId: number;
  let humanBotId: number;
  let taskId: number;
  let chatId: number;
  let keyboardMessage: number; // the bot's message with a keyboard in the team chat
  let privateMessage: number; // the bot's message with a keyboard in its private dialog with Ann
  const app1 = { CLIENT_ID: 'app1' };

  const register = (bot: number, command: string, extra: Record<string, unknown> = {}) =>
    server.call('imbot.command.register', {
      ...app1,
      BOT_ID: bot,
      COMMAND: command,
      EVENT_COMMAND_ADD: HANDLER,
      LANG,
      ...extra,
    });
  const botMessage = async (bot: number, dialogId: string) => {
    const res = await server.call('imbot.message.add', {
      ...app1,
      BOT_ID: bot,
      DIALOG_ID: dialogId,
      MESSAGE: 'Pick one',
      KEYBOARD,
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.result as number;
  };
  const press = (who: Person, params: Record<string, unknown>) => who.call('im.message.command', params);

  before(async () => {
    server = await startTestServer({ clock: new ManualClock() });
    events = recordEvents(server);
    pulls = recordPulls(server);
    ann = await person(server, 'Ann');
    bob = await person(server, 'Bob');
    carl = await person(server, 'Carl');
    botId = await registerBot(server, 'app1', 'taskbot');
    humanBotId = await registerBot(server, 'app1', 'humanbot', { TYPE: 'H' });
    taskId = (await register(botId, 'task')).body.result;
    await register(humanBotId, 'think');
    chatId = (await ann.call('im.chat.add', { TITLE: 'Team', USERS: [bob.id, botId, humanBotId] })).body.result;
    keyboardMessage = await botMessage(botId, `chat${chatId}`);
    privateMessage = await botMessage(botId, String(ann.id));
  });
  after(() => server.close());
  beforeEach(() => {
    events.length = 0;
    pulls.clear();
  });

  it('a button press in a chat: ONIMCOMMANDADD with COMMAND_CONTEXT KEYBOARD, no message written', async () => {
    const before = await snapshot(server, []);
    const res = await press(bob, {
      MESSAGE_ID: keyboardMessage,
      BOT_ID: botId,
      COMMAND: 'task',
      COMMAND_PARAMS: 'task #1',
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.result, true);
    assert.equal(events.length, 1);
    const [event] = events;
    assert.equal(event.event, 'ONIMCOMMANDADD');
    assert.deepEqual(event.botIds, [botId]);
    assert.equal(event.commandId, taskId);
    assert.equal(event.userId, bob.id, 'data[USER] and auth are the one who pressed');
    assert.equal(event.dialogId, `chat${chatId}`);
    assert.deepEqual(event.command, {
      command: 'task',
      params: 'task #1',
      context: 'KEYBOARD',
      messageId: keyboardMessage,
      handler: HANDLER,
    });
    assert.equal(event.params.MESSAGE_ID, String(keyboardMessage));
    assert.equal(event.params.FROM_USER_ID, String(bob.id));
    assert.equal(event.params.DIALOG_ID, `chat${chatId}`);
    assert.equal(event.params.MESSAGE, 'Pick one');
    assert.deepEqual(await snapshot(server, []), before);
    assert.equal(pulls.list.length, 0);
  });

  it('in the private dialog the dialog is the person’s; a leading slash and no params are fine', async () => {
    const res = await press(ann, { MESSAGE_ID: privateMessage, BOT_ID: botId, COMMAND: '/task' });
    assert.equal(res.body.result, true);
    const [event] = events;
    assert.equal(event.dialogId, String(ann.id));
    assert.equal(event.params.DIALOG_ID, String(ann.id));
    assert.equal(event.params.TO_USER_ID, String(botId));
    assert.equal(event.command!.params, '');
    assert.equal(event.command!.context, 'KEYBOARD');
  });

  it('a TYPE=H bot shows "typing…" while it works on the press', async () => {
    await press(ann, { MESSAGE_ID: keyboardMessage, BOT_ID: humanBotId, COMMAND: 'think' });
    assert.deepEqual(events[0].botIds, [humanBotId]);
    const writing = pulls.named('startWriting');
    assert.equal(writing.get(ann.id)?.userId, humanBotId);
  });

  it('a COMMON command works where its bot is not; a plain one only where it is', async () => {
    const plainChat = (await ann.call('im.chat.add', { USERS: [bob.id] })).body.result;
    const note = (await ann.call('im.message.add', { DIALOG_ID: `chat${plainChat}`, MESSAGE: 'note' })).body.result;
    assertError(
      await press(bob, { MESSAGE_ID: note, BOT_ID: botId, COMMAND: 'task' }),
      400,
      'PARAMS_ERROR',
      'Incorrect params',
    );
    await register(botId, 'everywhere', { COMMON: 'Y' });
    assert.equal((await press(bob, { MESSAGE_ID: note, BOT_ID: botId, COMMAND: 'everywhere' })).body.result, true);
    assert.equal(events.at(-1)!.command!.context, 'KEYBOARD');
  });

  it('errors in the page’s order; nothing is fired', async () => {
    const cases: [Person, Record<string, unknown>, string, string][] = [
      [bob, { BOT_ID: botId, COMMAND: 'task' }, 'MESSAGE_ID_ERROR', "Message ID can't be empty"],
      [bob, { MESSAGE_ID: 'x', BOT_ID: botId, COMMAND: 'task' }, 'MESSAGE_ID_ERROR', "Message ID can't be empty"],
      [bob, { MESSAGE_ID: keyboardMessage, COMMAND: 'task' }, 'BOT_ID_ERROR', "Bot ID can't be empty"],
      [bob, { MESSAGE_ID: keyboardMessage, BOT_ID: 0, COMMAND: 'task' }, 'BOT_ID_ERROR', "Bot ID can't be empty"],
      [bob, { MESSAGE_ID: keyboardMessage, BOT_ID: botId }, 'COMMAND_ERROR', "Command can't be empty"],
      // COMMAND == '' in PHP: a blank one is no empty string, and no command either
      [bob, { MESSAGE_ID: keyboardMessage, BOT_ID: botId, COMMAND: ' ' }, 'PARAMS_ERROR', 'Incorrect params'],
      // intval, as CIMRestService::messageCommand reads ids: "x" is 0
      [bob, { ID: 'x', BOT_ID: botId, COMMAND: 'task' }, 'MESSAGE_ID_ERROR', "Message ID can't be empty"],
      [bob, { MESSAGE_ID: keyboardMessage, BOT_ID: 'x', COMMAND: 'task' }, 'BOT_ID_ERROR', "Bot ID can't be empty"],
      // A message the caller cannot see, one that does not exist, an unknown command or bot, another bot's command
      [carl, { MESSAGE_ID: keyboardMessage, BOT_ID: botId, COMMAND: 'task' }, 'PARAMS_ERROR', 'Incorrect params'],
      [bob, { MESSAGE_ID: 999999, BOT_ID: botId, COMMAND: 'task' }, 'PARAMS_ERROR', 'Incorrect params'],
      [bob, { MESSAGE_ID: keyboardMessage, BOT_ID: botId, COMMAND: 'nope' }, 'PARAMS_ERROR', 'Incorrect params'],
      [bob, { MESSAGE_ID: keyboardMessage, BOT_ID: 999999, COMMAND: 'task' }, 'PARAMS_ERROR', 'Incorrect params'],
      [bob, { MESSAGE_ID: keyboardMessage, BOT_ID: humanBotId, COMMAND: 'task' }, 'PARAMS_ERROR', 'Incorrect params'],
      [bob, { MESSAGE_ID: keyboardMessage, BOT_ID: botId, COMMAND: 'ta sk' }, 'PARAMS_ERROR', 'Incorrect params'],
    ];
    for (const [who, params, code, description] of cases) {
      assertError(await press(who, params), 400, code, description);
    }
    assert.equal(events.length, 0);
  });

  it('a deleted message has no buttons left', async () => {
    const gone = await botMessage(botId, `chat${chatId}`);
    await server.call('imbot.message.delete', { ...app1, BOT_ID: botId, MESSAGE_ID: gone });
    events.length = 0;
    assertError(await press(bob, { MESSAGE_ID: gone, BOT_ID: botId, COMMAND: 'task' }), 400, 'PARAMS_ERROR');
    assert.equal(events.length, 0);
  });
});
