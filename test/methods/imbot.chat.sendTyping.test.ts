import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../../src/clock.ts';
import type { PullCommand, Recipients } from '../../src/realtime/hub.ts';
import { startTestServer, type TestServer } from '../helpers/harness.ts';

describe('imbot.chat.sendTyping', () => {
  let server: TestServer;
  const clock = new ManualClock();
  const published: { command: PullCommand; recipients: Recipients }[] = [];
  let botId: number;
  let otherBotId: number;
  let chatId: number;
  let userId: number;
  let outsiderId: number;

  before(async () => {
    server = await startTestServer({ clock });
    server.app.services.hub.subscribe((command, recipients) => published.push({ command, recipients }));
    userId = (await server.app.domain.users.create({ name: 'Ann', last_name: 'Member' })).id;
    outsiderId = (await server.app.domain.users.create({ name: 'Olga', last_name: 'Outsider' })).id;
    const reg = await server.call('imbot.register', {
      CODE: 'typer',
      EVENT_HANDLER: 'http://127.0.0.1:9/h',
      PROPERTIES: { NAME: 'Typing', LAST_NAME: 'Bot' },
      CLIENT_ID: 'app1',
    });
    botId = reg.body.result;
    const other = await server.call('imbot.register', {
      CODE: 'other',
      EVENT_HANDLER: 'http://127.0.0.1:9/h',
      PROPERTIES: { NAME: 'Other' },
      CLIENT_ID: 'app2',
    });
    otherBotId = other.body.result;
    const chat = await server.call('imbot.chat.add', { BOT_ID: botId, USERS: [1, userId], CLIENT_ID: 'app1' });
    chatId = chat.body.result;
  });
  after(() => server.close());

  it('publishes startWriting to every chat member except the bot', async () => {
    published.length = 0;
    const res = await server.call('imbot.chat.sendTyping', {
      BOT_ID: botId,
      DIALOG_ID: `chat${chatId}`,
      CLIENT_ID: 'app1',
    });
    assert.equal(res.status, 200);
    assert.equal(res.body.result, true);
    assert.equal(published.length, 1);
    const [{ command, recipients }] = published;
    assert.deepEqual(recipients, { users: [1, userId] });
    assert.deepEqual(command, {
      module_id: 'im',
      command: 'startWriting',
      params: { dialogId: `chat${chatId}`, userId: botId, userName: 'Typing Bot' },
    });
  });

  it('in a private dialog the recipient sees the bot id as the dialog id', async () => {
    published.length = 0;
    const res = await server.call('imbot.chat.sendTyping', { DIALOG_ID: String(userId), CLIENT_ID: 'app1' });
    assert.equal(res.body.result, true);
    assert.deepEqual(published[0].recipients, { users: [userId] });
    assert.equal(published[0].command.params.dialogId, String(botId));
  });

  it('keeps an expiring state that repeated calls extend', async () => {
    const place = { kind: 'chat' as const, chatId };
    const typing = server.app.domain.typing;
    await server.call('imbot.chat.sendTyping', { BOT_ID: botId, DIALOG_ID: `chat${chatId}`, CLIENT_ID: 'app1' });
    assert.equal((await typing.list(place)).length, 1);
    clock.advance(10_000);
    await server.call('imbot.chat.sendTyping', { BOT_ID: botId, DIALOG_ID: `chat${chatId}`, CLIENT_ID: 'app1' });
    clock.advance(10_000);
    assert.equal((await typing.list(place)).length, 1, 'extended by the second call');
    published.length = 0;
    clock.advance(6_000); // the clock fires the expiry itself
    assert.equal((await typing.list(place)).length, 0);
    const stop = published.find((p) => p.command.params.dialogId === `chat${chatId}`);
    assert.equal(stop?.command.command, 'stopWriting');
    assert.equal(await typing.sweep(), 0, 'announced once');
  });

  const errors: [string, Record<string, unknown>, number, string][] = [
    ['DIALOG_ID missing', { CLIENT_ID: 'app1' }, 400, 'DIALOG_ID_EMPTY'],
    ['DIALOG_ID empty', { DIALOG_ID: '', CLIENT_ID: 'app1' }, 400, 'DIALOG_ID_EMPTY'],
    ['DIALOG_ID malformed', { DIALOG_ID: 'chatX', CLIENT_ID: 'app1' }, 400, 'DIALOG_ID_EMPTY'],
    ['DIALOG_ID an object', { DIALOG_ID: { a: 1 }, CLIENT_ID: 'app1' }, 400, 'DIALOG_ID_EMPTY'],
    ['unknown BOT_ID', { BOT_ID: 999999, DIALOG_ID: '1', CLIENT_ID: 'app1' }, 400, 'BOT_ID_ERROR'],
    ['non-numeric BOT_ID', { BOT_ID: 'abc', DIALOG_ID: '1', CLIENT_ID: 'app1' }, 400, 'BOT_ID_ERROR'],
    ['app without bots', { DIALOG_ID: '1', CLIENT_ID: 'nobody' }, 400, 'BOT_ID_ERROR'],
    ['BOT_ID zero', { BOT_ID: 0, DIALOG_ID: '1', CLIENT_ID: 'app1' }, 400, 'BOT_ID_ERROR'],
    ['no CLIENT_ID over a webhook', { BOT_ID: 'abc', DIALOG_ID: '' }, 403, 'ACCESS_DENIED'],
  ];
  for (const [name, params, status, code] of errors) {
    it(`${name} → ${status} ${code}`, async () => {
      published.length = 0;
      const res = await server.call('imbot.chat.sendTyping', params);
      assert.equal(res.status, status, JSON.stringify(res.body));
      assert.equal(res.body.error, code);
      assert.equal(typeof res.body.error_description, 'string');
      assert.equal(published.length, 0);
    });
  }

  it('a bot of another application → APP_ID_ERROR', async () => {
    const res = await server.call('imbot.chat.sendTyping', { BOT_ID: otherBotId, DIALOG_ID: '1', CLIENT_ID: 'app1' });
    assert.equal(res.status, 400);
    assert.equal(res.body.error, 'APP_ID_ERROR');
  });

  it('sendTyping answers true for chats the bot is not in, an unknown chat or user, its own id: shown to nobody, a warning logged', async () => {
    const foreign = await server.app.domain.chats.create({ type: 'C', title: 'x', authorId: outsiderId, users: [] });
    const warnings: object[] = [];
    const log = server.app.services.log;
    server.app.services.log = { warn: (detail) => warnings.push(detail) };
    try {
      for (const dialogId of [`chat${foreign.id}`, 'chat999999', '999999', String(botId)]) {
        published.length = 0;
        const res = await server.call('imbot.chat.sendTyping', { DIALOG_ID: dialogId, CLIENT_ID: 'app1' });
        assert.equal(res.status, 200, JSON.stringify(res.body));
        assert.equal(res.body.result, true);
        assert.equal(published.length, 0, dialogId);
      }
    } finally {
      server.app.services.log = log;
    }
    assert.equal(warnings.length, 4);
    assert.deepEqual(warnings[0], { method: 'imbot.chat.sendTyping', botId, dialogId: `chat${foreign.id}` });
  });
});
