import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../../src/clock.ts';
import { INPUT_ACTIONS } from '../../src/domain/input-actions.ts';
import type { PullCommand, Recipients } from '../../src/realtime/hub.ts';
import { startTestServer, type TestServer } from '../helpers/harness.ts';
import { assertV2Error, v2OAuth, v2Register } from '../helpers/v2.ts';

describe('imbot.v2.Chat.InputAction.notify and TextField.enabled', () => {
  let server: TestServer;
  const clock = new ManualClock();
  const published: { command: PullCommand; recipients: Recipients }[] = [];
  const token = 'ui-token';
  let botId: number;
  let otherBotId: number;
  let userId: number;
  let chatId: number;
  let foreignChatId: number;

  before(async () => {
    server = await startTestServer({ clock });
    server.app.services.hub.subscribe((command, recipients) => published.push({ command, recipients }));
    botId = await v2Register(server, token, 'agent', { properties: { name: 'Agent', lastName: 'Smith' } });
    otherBotId = await v2Register(server, 'ui-other', 'agent_other');
    const { domain } = server.app;
    userId = (await domain.users.create({ name: 'Ann', last_name: 'Member' })).id;
    chatId = (await domain.chats.create({ type: 'C', title: 'Work', authorId: botId, users: [1, userId] })).id;
    foreignChatId = (await domain.chats.create({ type: 'C', title: 'Elsewhere', authorId: 1, users: [userId] })).id;
  });
  after(() => server.close());

  const notify = (params: Record<string, unknown>) =>
    server.call('imbot.v2.Chat.InputAction.notify', { botId, botToken: token, ...params });

  for (const [code, text] of Object.entries(INPUT_ACTIONS)) {
    it(`${code}: members get startWriting with "${text}", stopWriting after duration`, async () => {
      published.length = 0;
      const res = await notify({ dialogId: `chat${chatId}`, statusMessageCode: code, duration: 30 });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(res.body.result, { result: true });
      assert.deepEqual(published, [
        {
          recipients: { users: [1, userId] },
          command: {
            module_id: 'im',
            command: 'startWriting',
            params: {
              dialogId: `chat${chatId}`,
              userId: botId,
              userName: 'Agent Smith',
              statusMessageCode: code,
              statusMessage: text,
            },
          },
        },
      ]);
      const place = { kind: 'chat' as const, chatId };
      clock.advance(29_999);
      assert.equal(published.length, 1, 'still on before its duration');
      assert.equal((await server.app.domain.typing.list(place))[0]?.statusCode, code);
      clock.advance(1); // the clock fires the expiry: no sweep needed
      assert.equal(published[1].command.command, 'stopWriting');
      assert.equal(published[1].command.params.statusMessageCode, code);
      assert.deepEqual(await server.app.domain.typing.list(place), []);
    });
  }

  it('no code: plain typing for the server default (B24_TYPING_TTL, 15 s)', async () => {
    published.length = 0;
    const res = await notify({ dialogId: `chat${chatId}` });
    assert.equal(res.status, 200);
    assert.deepEqual(published[0].command.params, {
      dialogId: `chat${chatId}`,
      userId: botId,
      userName: 'Agent Smith',
    });
    clock.advance(14_999);
    assert.equal(published.length, 1);
    clock.advance(1);
    assert.equal(published[1].command.command, 'stopWriting');
  });

  it('a private dialog: the person sees the bot id as the dialog', async () => {
    published.length = 0;
    const res = await notify({
      dialogId: String(userId),
      statusMessageCode: 'IMBOT_AGENT_ACTION_SEARCHING',
      duration: 1,
    });
    assert.equal(res.status, 200);
    assert.deepEqual(published[0].recipients, { users: [userId] });
    assert.equal(published[0].command.params.dialogId, String(botId));
    clock.advance(1000);
    assert.equal(published.at(-1)?.command.command, 'stopWriting');
  });

  it('each state ends at its own expiry: a renewal may shorten it, another typer keeps theirs', async () => {
    const stops = () => published.filter((p) => p.command.command === 'stopWriting').map((p) => p.command.params);
    published.length = 0;
    await notify({ dialogId: `chat${chatId}`, duration: 30 });
    await notify({ dialogId: String(userId), duration: 10 });
    await notify({ dialogId: `chat${chatId}`, duration: 2 }); // renewed, now ending sooner
    clock.advance(1999);
    assert.deepEqual(stops(), []);
    clock.advance(1);
    assert.deepEqual(
      stops().map((p) => p.dialogId),
      [`chat${chatId}`],
    );
    clock.advance(7999);
    assert.equal(stops().length, 1, 'the private dialog still on');
    clock.advance(1);
    assert.deepEqual(
      stops().map((p) => p.dialogId),
      [`chat${chatId}`, String(botId)],
    );
    clock.advance(30_000);
    assert.equal(stops().length, 2, 'nothing ends twice');
  });

  it('works through OAuth for the application’s bot', async () => {
    const { auth, base } = await v2OAuth(server, 'app.ui');
    const reg = await server.call(
      'imbot.v2.Bot.register',
      { fields: { code: 'oauth_agent', properties: { name: 'OA' } }, auth },
      base,
    );
    published.length = 0;
    const res = await server.call(
      'imbot.v2.Chat.InputAction.notify',
      { botId: reg.body.result.bot.id, dialogId: String(userId), duration: 5, auth },
      base,
    );
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(published.length, 1);
    clock.advance(5000);
  });

  const refused: [string, () => Record<string, unknown>, number, string | number][] = [
    ['duration 0', () => ({ dialogId: `chat${chatId}`, duration: 0 }), 400, 'DURATION_INVALID'],
    ['duration 601', () => ({ dialogId: `chat${chatId}`, duration: 601 }), 400, 'DURATION_INVALID'],
    ['duration not an integer', () => ({ dialogId: `chat${chatId}`, duration: 'soon' }), 400, 100],
    ['duration fractional', () => ({ dialogId: `chat${chatId}`, duration: 1.5 }), 400, 100],
    [
      'unknown status code',
      () => ({ dialogId: `chat${chatId}`, statusMessageCode: 'IMBOT_AGENT_ACTION_DANCING' }),
      400,
      'STATUS_MESSAGE_CODE_INVALID',
    ],
    ['status code of the wrong type', () => ({ dialogId: `chat${chatId}`, statusMessageCode: { a: 1 } }), 400, 100],
    ['no dialogId', () => ({}), 400, 100],
    ['dialogId of the wrong type', () => ({ dialogId: ['chat1'] }), 400, 100],
    ['a chat the bot is not in', () => ({ dialogId: `chat${foreignChatId}` }), 403, 'ACCESS_DENIED'],
    ['an unknown chat', () => ({ dialogId: 'chat999999' }), 403, 'ACCESS_DENIED'],
    ['an unknown user', () => ({ dialogId: '999999' }), 403, 'ACCESS_DENIED'],
    ['a malformed dialogId', () => ({ dialogId: 'room5' }), 403, 'ACCESS_DENIED'],
    ['the bot itself', () => ({ dialogId: String(botId) }), 403, 'ACCESS_DENIED'],
    ['a wrong botToken', () => ({ botToken: 'guess', dialogId: `chat${chatId}` }), 403, 'BOT_OWNERSHIP_ERROR'],
    ['no botToken', () => ({ botToken: undefined, dialogId: `chat${chatId}` }), 400, 'BOT_TOKEN_NOT_SPECIFIED'],
    ['no botId', () => ({ botId: undefined, dialogId: `chat${chatId}` }), 400, 'BOT_ID_REQUIRED'],
    ['an unknown bot', () => ({ botId: 999999, dialogId: `chat${chatId}` }), 400, 'BOT_NOT_FOUND'],
    ["another application's bot", () => ({ botId: otherBotId, dialogId: `chat${chatId}` }), 403, 'BOT_OWNERSHIP_ERROR'],
  ];
  for (const [name, params, status, code] of refused) {
    it(`${name} → ${code}, nobody told`, async () => {
      published.length = 0;
      assertV2Error(await notify(params()), status, code);
      assert.equal(published.length, 0);
      assert.deepEqual(await server.app.domain.typing.list({ kind: 'chat', chatId }), []);
    });
  }

  it('ACCESS_DENIED is worded as the page shows it', async () => {
    assertV2Error(await notify({ dialogId: `chat${foreignChatId}` }), 403, 'ACCESS_DENIED', 'Access denied');
  });

  describe('TextField.enabled', () => {
    const enable = (params: Record<string, unknown>) =>
      server.call('imbot.v2.Chat.TextField.enabled', { botId, botToken: token, ...params });
    const fieldOf = async (id: number) =>
      (await server.db.one<{ t: boolean }>('SELECT text_field_enabled AS t FROM chats WHERE id = $1', [id]))!.t;

    it('turns the input field off and on (default on)', async () => {
      const off = await enable({ dialogId: `chat${chatId}`, enabled: false });
      assert.equal(off.status, 200);
      assert.deepEqual(off.body.result, { result: true });
      assert.equal(await fieldOf(chatId), false);
      await enable({ dialogId: `chat${chatId}` });
      assert.equal(await fieldOf(chatId), true);
      await enable({ dialogId: `chat${chatId}`, enabled: 'N' });
      assert.equal(await fieldOf(chatId), false);
    });

    it('in a private dialog too, opening it when needed', async () => {
      const res = await enable({ dialogId: String(userId), enabled: false });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const chat = await server.app.domain.chats.findPrivate(botId, userId);
      assert.equal(chat?.text_field_enabled, false);
    });

    it('refuses a chat the bot is not in, and a wrong type, changing nothing', async () => {
      assertV2Error(await enable({ dialogId: `chat${foreignChatId}`, enabled: false }), 403, 'ACCESS_DENIED');
      assert.equal(await fieldOf(foreignChatId), true);
      assertV2Error(await enable({ dialogId: `chat${chatId}`, enabled: 'perhaps' }), 400, 100);
      assertV2Error(await enable({ botToken: 'guess', dialogId: `chat${chatId}` }), 403, 'BOT_OWNERSHIP_ERROR');
      assert.equal(await fieldOf(chatId), false);
    });
  });
});
