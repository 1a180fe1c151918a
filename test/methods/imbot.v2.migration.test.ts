import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../helpers/harness.ts';
import { assertV2Error, v2OAuth, v2Register } from '../helpers/v2.ts';

// b24restdocs chat-bots-v2/migration.md: "v1 and v2 methods operate in parallel. Bots registered through v1 are
// visible in v2 and vice versa. However, the event formats differ — the bot receives events only in the format of
// the API version through which it was registered."
describe('imbot v1 ↔ v2 (migration.md)', () => {
  let server: TestServer;
  let v1Bot: number;
  let v2Bot: number;
  let userId: number;

  before(async () => {
    server = await startTestServer();
    const reg = await server.call('imbot.register', {
      CODE: 'legacy',
      EVENT_HANDLER: 'http://127.0.0.1:9/h',
      PROPERTIES: { NAME: 'Legacy' },
      CLIENT_ID: 'shared-key',
    });
    v1Bot = reg.body.result;
    v2Bot = await v2Register(server, 'shared-key', 'modern', { properties: { name: 'Modern' } });
    userId = (await server.app.domain.users.create({ name: 'Una', last_name: 'User' })).id;
  });
  after(() => server.close());

  it('a v1 webhook bot is a v2 bot of botToken = its CLIENT_ID', async () => {
    const res = await server.call('imbot.v2.Bot.get', { botId: v1Bot, botToken: 'shared-key' });
    assert.equal(res.status, 200);
    assert.equal(res.body.result.bot.code, 'legacy');
    assert.equal(res.body.result.bot.type, 'bot');
    assert.equal(res.body.result.bot.eventMode, 'webhook', 'v1 bots get their events POSTed');
    assert.equal(res.body.result.bot.moduleId, 'rest', 'the same application: the extended format');
    const list = await server.call('imbot.v2.Bot.list', { botToken: 'shared-key' });
    assert.deepEqual(
      list.body.result.bots.map((b: { code: string }) => b.code),
      ['legacy', 'modern'],
    );
  });

  it('a v2 bot is listed by imbot.bot.list', async () => {
    const res = await server.call('imbot.bot.list');
    assert.deepEqual(res.body.result[v2Bot], { ID: v2Bot, NAME: 'Modern', CODE: 'modern', OPENLINE: 'N' });
  });

  it('v1 methods act on a v2 bot with CLIENT_ID = its botToken', async () => {
    const typing = await server.call('imbot.chat.sendTyping', {
      BOT_ID: v2Bot,
      DIALOG_ID: String(userId),
      CLIENT_ID: 'shared-key',
    });
    assert.equal(typing.body.result, true, JSON.stringify(typing.body));
    const upd = await server.call('imbot.update', {
      BOT_ID: v2Bot,
      FIELDS: { PROPERTIES: { NAME: 'Renamed' } },
      CLIENT_ID: 'shared-key',
    });
    assert.equal(upd.body.result, true, JSON.stringify(upd.body));
    const seen = await server.call('imbot.v2.Bot.get', { botId: v2Bot, botToken: 'shared-key' });
    assert.equal(seen.body.result.users[0].name, 'Renamed');
    assert.equal(seen.body.result.bot.eventMode, 'fetch', 'imbot.update keeps the v2 settings');
    const wrong = await server.call('imbot.update', {
      BOT_ID: v2Bot,
      FIELDS: { PROPERTIES: { NAME: 'X' } },
      CLIENT_ID: 'other-key',
    });
    assert.equal(wrong.body.error, 'APP_ID_ERROR');
  });

  it('v2 methods act on a v1 bot with botToken = its CLIENT_ID', async () => {
    const res = await server.call('imbot.v2.Chat.InputAction.notify', {
      botId: v1Bot,
      botToken: 'shared-key',
      dialogId: String(userId),
      statusMessageCode: 'IMBOT_AGENT_ACTION_THINKING',
      duration: 5,
    });
    assert.deepEqual(res.body.result, { result: true });
    assertV2Error(
      await server.call('imbot.v2.Chat.InputAction.notify', { botId: v1Bot, botToken: 'x', dialogId: String(userId) }),
      403,
      'BOT_OWNERSHIP_ERROR',
    );
  });

  it("an OAuth application's bots are the same in both APIs", async () => {
    const { auth, base } = await v2OAuth(server, 'app.migrating');
    const v1 = await server.call(
      'imbot.register',
      { CODE: 'oauth_v1', EVENT_HANDLER: 'http://127.0.0.1:9/h', PROPERTIES: { NAME: 'O1' }, auth },
      base,
    );
    const v2 = await server.call(
      'imbot.v2.Bot.register',
      { fields: { code: 'oauth_v2', properties: { name: 'O2' } }, auth },
      base,
    );
    const list = await server.call('imbot.v2.Bot.list', { auth }, base);
    assert.deepEqual(
      list.body.result.bots.map((b: { id: number }) => b.id),
      [v1.body.result, v2.body.result.bot.id],
    );
    const typing = await server.call(
      'imbot.chat.sendTyping',
      { BOT_ID: v2.body.result.bot.id, DIALOG_ID: String(userId), auth },
      base,
    );
    assert.equal(typing.body.result, true);
  });

  it('one event, each bot in its own format: v1 ONIMBOTMESSAGEADD, v2 ONIMBOTV2MESSAGEADD', async () => {
    const chat = await server.app.domain.chats.create({
      type: 'C',
      title: 'Both',
      authorId: userId,
      users: [v1Bot, v2Bot],
    });
    const message = await server.db.one<{ id: number }>(
      'INSERT INTO messages (chat_id, author_id, text) VALUES ($1, $2, $3) RETURNING id',
      [chat.id, userId, 'for both'],
    );
    await server.db.tx((tx) =>
      server.app.domain.events.emit(tx, {
        event: 'ONIMBOTMESSAGEADD',
        botIds: [v1Bot, v2Bot],
        params: { MESSAGE_ID: String(message!.id), TO_CHAT_ID: String(chat.id), MESSAGE: 'for both' },
        userId,
        dialogId: `chat${chat.id}`,
      }),
    );
    const rows = await server.db.query<{ event: string; bot_ids: number[] }>(
      'SELECT event, bot_ids FROM event_log ORDER BY id',
    );
    assert.deepEqual(rows, [
      { event: 'ONIMBOTMESSAGEADD', bot_ids: [v1Bot] },
      { event: 'ONIMBOTV2MESSAGEADD', bot_ids: [v2Bot] },
    ]);
    const polled = await server.call('imbot.v2.Event.get', { botId: v2Bot, botToken: 'shared-key' });
    assert.deepEqual(
      polled.body.result.events.map((e: { type: string }) => e.type),
      ['ONIMBOTV2MESSAGEADD'],
    );
    const v1Polled = await server.call('imbot.v2.Event.get', { botId: v1Bot, botToken: 'shared-key' });
    assert.deepEqual(v1Polled.body.result.events, [], 'a v1 bot has no v2 events to fetch');
    const deliveries = await server.db.query<{ url: string }>('SELECT url FROM event_deliveries');
    assert.deepEqual(deliveries, [{ url: 'http://127.0.0.1:9/h' }], "only the v1 bot's handler is POSTed to");
  });

  it('a like of a v1 bot’s message fires nothing: ONIMBOTV2REACTIONCHANGE is for v2 bots', async () => {
    const chat = await server.app.domain.chats.create({ type: 'C', title: 'Likes', authorId: v1Bot, users: [userId] });
    const message = await server.db.one<{ id: number }>(
      'INSERT INTO messages (chat_id, author_id, text) VALUES ($1, $2, $3) RETURNING id',
      [chat.id, v1Bot, 'like me'],
    );
    const before = (await server.db.one<{ n: number }>('SELECT count(*)::int AS n FROM event_log'))!.n;
    const stored = (await server.app.domain.messenger.get(message!.id))!;
    const liked = await server.app.domain.messenger.like(userId, stored, 'plus', { origin: server.url });
    assert.equal(liked, true);
    assert.equal((await server.db.one<{ n: number }>('SELECT count(*)::int AS n FROM event_log'))!.n, before);
  });

  it('imbot.unregister removes a v2 bot for v2 as well', async () => {
    const id = await v2Register(server, 'shared-key', 'short_lived');
    const res = await server.call('imbot.unregister', { BOT_ID: id, CLIENT_ID: 'shared-key' });
    assert.equal(res.body.result, true);
    assertV2Error(await server.call('imbot.v2.Bot.get', { botId: id, botToken: 'shared-key' }), 400, 'BOT_NOT_FOUND');
  });
});
