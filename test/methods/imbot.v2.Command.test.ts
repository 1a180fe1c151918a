import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ChatRow } from '../../src/domain/chats.ts';
import type { UserRow } from '../../src/domain/user-row.ts';
import { startTestServer, type TestServer } from '../helpers/harness.ts';
import { assertV2Error, v2Register } from '../helpers/v2.ts';

describe('imbot.v2.Command.*', () => {
  let server: TestServer;
  const token = 'cmd-token';
  let botId: number;
  let otherBot: number;
  let ann: UserRow;
  let chat: ChatRow;

  const call = (method: string, params: Record<string, unknown>, id = botId) =>
    server.call(`imbot.v2.Command.${method}`, { botId: id, botToken: token, ...params });
  const say = async (text: string) =>
    (
      await server.app.domain.messenger.send({
        author: ann,
        byBot: false,
        target: { kind: 'chat', chat },
        text,
        extras: {},
        system: false,
        live: { origin: server.url },
      })
    ).id;

  before(async () => {
    server = await startTestServer();
    botId = await v2Register(server, token, 'commander', { properties: { name: 'Commander' } });
    otherBot = await v2Register(server, token, 'other_commander');
    ann = await server.app.domain.users.create({ name: 'Ann', last_name: 'A' });
    chat = await server.app.domain.chats.create({ type: 'C', title: 'Cmd', authorId: ann.id, users: [botId] });
  });
  after(() => server.close());

  let helpId: number;

  it('registers a command and answers it as a Command object', async () => {
    const res = await call('register', {
      fields: { command: 'help', title: { en: 'Show help', de: 'Hilfe' }, params: { en: '[query]' } },
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    helpId = res.body.result.command.id;
    assert.deepEqual(res.body.result.command, {
      id: helpId,
      botId,
      command: '/help',
      common: false,
      hidden: false,
      extranetSupport: false,
    });
    const again = await call('register', { fields: { command: '/help', title: { en: 'Again' } } });
    assert.equal(again.body.result.command.id, helpId, 'the same command again');
  });

  it('lists the bot’s commands with title, params and category', async () => {
    await call('register', { fields: { command: 'secret', hidden: true } });
    const res = await call('list', {});
    assert.deepEqual(res.body.result.commands[0], {
      id: helpId,
      botId,
      command: '/help',
      title: 'Show help',
      params: '[query]',
      common: false,
      hidden: false,
      extranetSupport: false,
      category: 'Commander',
      context: '',
    });
    assert.deepEqual(
      res.body.result.commands.map((c: { command: string }) => c.command),
      ['/help', '/secret'],
    );
    assert.deepEqual((await call('list', {}, otherBot)).body.result.commands, []);
  });

  it('refuses bad registrations', async () => {
    assertV2Error(await call('register', { fields: {} }), 400, 'COMMAND_REQUIRED');
    assertV2Error(await call('register', { fields: { command: 5 } }), 400, 'COMMAND_NAME_INVALID');
    assertV2Error(
      await call('register', { fields: { command: 'two words', title: { en: 'x' } } }),
      400,
      'COMMAND_NAME_INVALID',
    );
    assertV2Error(await call('register', { fields: { command: 'visible' } }), 400, 'COMMAND_TITLE_REQUIRED');
    assertV2Error(await call('register', {}), 400, 100);
    assert.equal((await call('list', {})).body.result.commands.length, 2);
  });

  it('updates name, titles per language, flags', async () => {
    const res = await call('update', {
      commandId: helpId,
      fields: { command: 'assist', title: { de: 'Neu', en: null }, common: true, hidden: 'Y' },
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body.result.command, {
      id: helpId,
      botId,
      command: '/assist',
      common: true,
      hidden: true,
      extranetSupport: false,
    });
    const listed = (await call('list', {})).body.result.commands[0];
    assert.equal(listed.title, 'Neu', 'en removed, de kept');
    await call('update', { commandId: helpId, fields: { command: 'help', common: false, hidden: false } });
  });

  it('update and unregister errors', async () => {
    const secret = (await call('list', {})).body.result.commands[1].id;
    assertV2Error(
      await call('update', { commandId: helpId, fields: { command: 'secret' } }),
      400,
      'COMMAND_ALREADY_EXISTS',
    );
    assertV2Error(await call('update', { commandId: helpId, fields: { command: '' } }), 400, 'COMMAND_NAME_EMPTY');
    assertV2Error(await call('update', { commandId: helpId, fields: { command: ['x'] } }), 400, 'COMMAND_NAME_INVALID');
    assertV2Error(await call('update', { commandId: helpId, fields: {} }, otherBot), 400, 'COMMAND_NOT_FOUND');
    assertV2Error(await call('unregister', { commandId: 999999 }), 400, 'COMMAND_NOT_FOUND');
    assertV2Error(await call('unregister', { commandId: secret }, otherBot), 400, 'COMMAND_NOT_FOUND');
    assert.deepEqual((await call('unregister', { commandId: secret })).body.result, { result: true });
    assert.equal((await call('list', {})).body.result.commands.length, 1);
  });

  it('a call reaches the fetch queue as ONIMBOTV2COMMANDADD; Command.answer replies in the dialog', async () => {
    const messageId = await say('/help topic');
    const polled = await server.call('imbot.v2.Event.get', { botId, botToken: token });
    const [event] = polled.body.result.events;
    assert.equal(event.type, 'ONIMBOTV2COMMANDADD');
    assert.deepEqual(event.data.command, { id: helpId, command: '/help', params: 'topic', context: 'textarea' });
    assert.equal(event.data.message.id, messageId);
    assert.equal(event.data.chat.dialogId, `chat${chat.id}`);
    assert.equal(event.data.user.id, ann.id);
    const res = await call('answer', {
      commandId: helpId,
      messageId,
      dialogId: event.data.chat.dialogId,
      fields: { message: 'Here is help' },
    });
    assert.deepEqual(res.body.result, { result: true });
    const last = await server.db.one<{ text: string; author_id: number }>(
      'SELECT text, author_id FROM messages WHERE chat_id = $1 ORDER BY id DESC LIMIT 1',
      [chat.id],
    );
    assert.deepEqual(last, { text: 'Here is help', author_id: botId });
    assertV2Error(
      await call('answer', { commandId: helpId, messageId, dialogId: 'chat999999', fields: { message: 'x' } }),
      400,
      'COMMAND_ANSWER_FAILED',
    );
    const plain = await say('no command here');
    assertV2Error(
      await call('answer', {
        commandId: helpId,
        messageId: plain,
        dialogId: `chat${chat.id}`,
        fields: { message: 'x' },
      }),
      400,
      'COMMAND_ANSWER_FAILED',
    );
    assertV2Error(
      await call('answer', { commandId: helpId, messageId, dialogId: `chat${chat.id}`, fields: {} }),
      400,
      'COMMAND_ANSWER_FAILED',
    );
  });
});
