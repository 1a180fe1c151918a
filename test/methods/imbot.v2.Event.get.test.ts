import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../../src/clock.ts';
import { startTestServer, type TestServer } from '../helpers/harness.ts';
import { assertV2Error, v2Register } from '../helpers/v2.ts';

describe('imbot.v2.Event.get', () => {
  let server: TestServer;
  const clock = new ManualClock();
  const token = 'poll-token';
  let botId: number;
  let otherBotId: number;
  let userId: number;
  let chatId: number;

  /**
   * What the messenger does for each message to the bot: the message row, then the bot event in the same
   * transaction, through the app's event sink (V2EventSink over the durable log).
   */
  async function fire(texts: string[]): Promise<number[]> {
    return server.db.tx(async (tx) => {
      const ids: number[] = [];
      for (const text of texts) {
        const row = await tx.one<{ id: number }>(
          `INSERT INTO messages (chat_id, author_id, text, created_at) VALUES ($1, $2, $3, $4) RETURNING id`,
          [chatId, userId, text, new Date(clock.now())],
        );
        ids.push(row!.id);
        await server.app.domain.events.emit(tx, {
          event: 'ONIMBOTMESSAGEADD',
          botIds: [botId],
          params: { MESSAGE_ID: String(row!.id), TO_CHAT_ID: String(chatId), DIALOG_ID: String(userId) },
          userId,
          dialogId: String(userId),
        });
      }
      return ids;
    });
  }

  const poll = (params: Record<string, unknown> = {}) =>
    server.call('imbot.v2.Event.get', { botId, botToken: token, ...params });
  /** Acknowledges everything fetchable now. */
  async function drain(): Promise<void> {
    const { nextOffset } = (await poll({ limit: 1000 })).body.result;
    await poll({ offset: nextOffset });
  }

  before(async () => {
    server = await startTestServer({ clock });
    botId = await v2Register(server, token, 'poller', { properties: { name: 'Poller' } });
    otherBotId = await v2Register(server, 'poll-other', 'poller_other');
    userId = (await server.app.domain.users.create({ name: 'Pat', last_name: 'Person' })).id;
    chatId = (await server.app.domain.chats.privateChat(userId, botId)).id;
  });
  after(() => server.close());

  it('an empty queue: no events, nextOffset 0, no more', async () => {
    const res = await poll();
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body.result, { events: [], nextOffset: 0, hasMore: false });
  });

  it('returns ONIMBOTV2MESSAGEADD with bot, message, chat, user and language', async () => {
    const [messageId] = await fire(['Hello bot!']);
    const res = await poll();
    const { events, nextOffset, hasMore } = res.body.result;
    assert.equal(events.length, 1);
    const [event] = events;
    assert.equal(event.type, 'ONIMBOTV2MESSAGEADD');
    assert.equal(typeof event.eventId, 'number');
    assert.match(event.date, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
    assert.equal(nextOffset, event.eventId + 1);
    assert.equal(hasMore, false);
    assert.deepEqual(Object.keys(event.data), ['bot', 'message', 'chat', 'user', 'language']);
    assert.equal(event.data.bot.id, botId);
    assert.equal(event.data.bot.eventMode, 'fetch');
    assert.equal(event.data.bot.countMessage, 0);
    assert.deepEqual(event.data.message, {
      id: messageId,
      chatId,
      authorId: userId,
      date: event.date,
      text: 'Hello bot!',
      isSystem: false,
      uuid: '',
      forward: null,
      params: {},
      viewedByOthers: false,
    });
    // Key order as the docs list the fields (the log stores jsonb, which does not keep it).
    assert.deepEqual(Object.keys(event.data.message), [
      'id',
      'chatId',
      'authorId',
      'date',
      'text',
      'isSystem',
      'uuid',
      'forward',
      'params',
      'viewedByOthers',
    ]);
    const botUser = (await server.call('imbot.v2.Bot.get', { botId, botToken: token })).body.result.users[0];
    assert.deepEqual(Object.keys(event.data.user), Object.keys(botUser));
    assert.deepEqual(Object.keys(event.data.chat).slice(0, 6), [
      'id',
      'dialogId',
      'name',
      'description',
      'type',
      'messageType',
    ]);
    assert.equal(event.data.chat.id, chatId);
    assert.equal(event.data.chat.dialogId, String(userId));
    assert.equal(event.data.chat.type, 'private');
    assert.equal(event.data.chat.role, undefined, 'no reader-dependent fields in events');
    assert.equal(event.data.user.id, userId);
    assert.equal(event.data.user.name, 'Pat Person');
    assert.equal(event.data.language, 'en');
    // Not acknowledged yet: the same event again, also without offset.
    assert.deepEqual((await poll()).body.result.events, events);
    // Acknowledged: gone.
    assert.deepEqual((await poll({ offset: nextOffset })).body.result, { events: [], nextOffset, hasMore: false });
    assert.deepEqual((await poll()).body.result, { events: [], nextOffset, hasMore: false });
  });

  it('pages with limit and hasMore; an older offset does not bring acknowledged events back', async () => {
    const start = (await poll()).body.result.nextOffset;
    await fire(['a', 'b', 'c', 'd', 'e']);
    const first = (await poll({ offset: start, limit: 2 })).body.result;
    assert.deepEqual(
      first.events.map((e: any) => e.data.message.text),
      ['a', 'b'],
    );
    assert.equal(first.hasMore, true);
    const second = (await poll({ offset: first.nextOffset, limit: 2 })).body.result;
    assert.deepEqual(
      second.events.map((e: any) => e.data.message.text),
      ['c', 'd'],
    );
    const again = (await poll({ offset: start, limit: 10 })).body.result;
    assert.deepEqual(
      again.events.map((e: any) => e.data.message.text),
      ['c', 'd', 'e'],
      'offset acknowledged a and b for good',
    );
    const last = (await poll({ offset: again.nextOffset })).body.result;
    assert.deepEqual(last, { events: [], nextOffset: again.nextOffset, hasMore: false });
  });

  it('limit is brought into 1–1000', async () => {
    await fire(['x', 'y']);
    assert.equal((await poll({ limit: 0 })).body.result.events.length, 1);
    assert.equal((await poll({ limit: -5 })).body.result.events.length, 1);
    assert.equal((await poll({ limit: 5000 })).body.result.events.length, 2);
    await drain();
  });

  it('events expire 24 hours after they fired', async () => {
    await fire(['old']);
    clock.advance(23 * 3600 * 1000);
    await fire(['new']);
    assert.equal((await poll()).body.result.events.length, 2);
    clock.advance(3600 * 1000);
    assert.deepEqual(
      (await poll()).body.result.events.map((e: any) => e.data.message.text),
      ['new'],
    );
    await drain();
  });

  it("a bot's queue holds only its own events", async () => {
    await fire(['mine']);
    const other = await server.call('imbot.v2.Event.get', { botId: otherBotId, botToken: 'poll-other' });
    assert.deepEqual(other.body.result.events, []);
  });

  const refused: [string, Record<string, unknown>, number, string | number][] = [
    ['no botToken', { botToken: undefined }, 400, 'BOT_TOKEN_NOT_SPECIFIED'],
    ['a wrong botToken', { botToken: 'guess' }, 403, 'BOT_OWNERSHIP_ERROR'],
    ['no botId', { botId: undefined }, 400, 'BOT_ID_REQUIRED'],
    ['an unknown bot', { botId: 999999 }, 400, 'BOT_NOT_FOUND'],
    ['offset of the wrong type', { offset: 'next' }, 400, 100],
    ['limit of the wrong type', { limit: [1] }, 400, 100],
    ['user events without a subscription', { withUserEvents: true }, 400, 'USER_NOT_SUBSCRIBED'],
  ];
  for (const [name, params, status, code] of refused) {
    it(`${name} → ${code}, nothing acknowledged`, async () => {
      const before = (await poll()).body.result;
      assertV2Error(await poll({ offset: before.nextOffset + 5, ...params }), status, code);
      assert.deepEqual((await poll()).body.result, before);
    });
  }

  it('webhook scopes without im: withUserEvents → SCOPE_ERROR', async () => {
    const hook = await server.app.domain.identities.createWebhook(1, ['imbot'], 'imbotonly');
    const res = await server.call(
      'imbot.v2.Event.get',
      { botId, botToken: token, withUserEvents: true },
      `${server.url}/rest/1/${hook.token}/`,
    );
    assertV2Error(res, 403, 'SCOPE_ERROR');
  });
});
