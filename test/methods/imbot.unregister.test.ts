import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../../src/clock.ts';
import { eventDelivery } from '../../src/delivery/event-delivery.ts';
import { assertError, oauthApp, registerBot } from '../helpers/bots.ts';
import { FAST, HandlerStub } from '../helpers/handler.ts';
import { startTestServer, type TestServer } from '../helpers/harness.ts';
import { v2Register } from '../helpers/v2.ts';

describe('imbot.unregister', () => {
  let server: TestServer;
  let userId: number;
  const clock = new ManualClock();

  before(async () => {
    server = await startTestServer({ clock });
    userId = (await server.app.domain.users.create({ name: 'Ann' })).id;
  });
  after(() => server.close());

  it('deletes the bot and its private dialogs; its group chats stay, handed to the next member', async () => {
    const { chats, bots, users } = server.app.domain;
    const botId = await registerBot(server, 'gone', 'gone-bot');
    const dialog = await chats.privateChat(botId, userId);
    const owned = await server.call('imbot.chat.add', { USERS: [userId], CLIENT_ID: 'gone' });
    clock.advance(1000);
    await server.call('imbot.chat.user.add', { CHAT_ID: owned.body.result, USERS: [1], CLIENT_ID: 'gone' });
    assert.deepEqual(
      (await chats.memberRows(owned.body.result)).map((m) => m.user_id),
      [userId, botId, 1],
    );

    const res = await server.call('imbot.unregister', { BOT_ID: botId, CLIENT_ID: 'gone' });
    assert.equal(res.status, 200);
    assert.equal(res.body.result, true);
    assert.equal(await bots.get(botId), undefined);
    assert.equal((await users.get(botId))?.active, false);
    assert.equal(await chats.get(dialog.id), undefined, 'private dialog deleted');
    assert.deepEqual(await chats.members(owned.body.result), [userId, 1]);
    assert.equal((await chats.get(owned.body.result))?.owner_id, userId, 'the longest-standing member');
    const list = await server.call('imbot.bot.list');
    assert.deepEqual(list.body.result, []);
    // the code is free again
    assert.notEqual(await registerBot(server, 'gone', 'gone-bot'), botId);
  });

  it('OAuth: unregisters the token application’s bot', async () => {
    const { token, base } = await oauthApp(server, 'local.app.unreg');
    const reg = await server.call(
      'imbot.register',
      { CODE: 'oauth-gone', EVENT_HANDLER: 'https://example.com/h', PROPERTIES: { NAME: 'O' }, auth: token },
      base,
    );
    const res = await server.call('imbot.unregister', { BOT_ID: reg.body.result, auth: token }, base);
    assert.equal(res.body.result, true);
  });

  it('a bot deleted meanwhile → WRONG_REQUEST "Bot can\'t be deleted"', async () => {
    const botId = await registerBot(server, 'race', 'race-bot');
    const bot = (await server.app.domain.bots.get(botId))!;
    await server.app.domain.bots.unregister(bot, 1);
    await assert.rejects(server.app.domain.bots.unregister(bot, 1), {
      code: 'WRONG_REQUEST',
      description: "Bot can't be deleted",
    });
  });

  const cases: [string, Record<string, unknown>, number, string, string][] = [
    ['no BOT_ID', { CLIENT_ID: 'keep' }, 400, 'BOT_ID_ERROR', 'Bot not found'],
    ['BOT_ID zero', { BOT_ID: 0, CLIENT_ID: 'keep' }, 400, 'BOT_ID_ERROR', 'Bot not found'],
    ['BOT_ID not a number', { BOT_ID: 'abc', CLIENT_ID: 'keep' }, 400, 'BOT_ID_ERROR', 'Bot not found'],
    ['an unknown BOT_ID', { BOT_ID: 99999, CLIENT_ID: 'keep' }, 400, 'BOT_ID_ERROR', 'Bot not found'],
    ['a user who is no bot', { BOT_ID: 1, CLIENT_ID: 'keep' }, 400, 'BOT_ID_ERROR', 'Bot not found'],
  ];
  for (const [name, params, status, code, description] of cases) {
    it(`${name} → ${status} ${code}`, async () => {
      assertError(await server.call('imbot.unregister', params), status, code, description);
    });
  }

  it('another application’s bot → APP_ID_ERROR, and it stays', async () => {
    const botId = await registerBot(server, 'keep', 'keep-bot');
    const res = await server.call('imbot.unregister', { BOT_ID: botId, CLIENT_ID: 'thief' });
    assertError(res, 400, 'APP_ID_ERROR', 'Bot was installed by another rest application');
    const plain = await server.call('imbot.unregister', { BOT_ID: botId });
    assertError(plain, 403, 'ACCESS_DENIED', 'Access denied! Client ID not specified');
    assert.ok(await server.app.domain.bots.get(botId));
  });
});

// ONIMBOTDELETE (b24restdocs …/outdated/events/on-imbot-delete.md): logged with the deletion, delivered after it.
describe('imbot.unregister: ONIMBOTDELETE', () => {
  const deletes = new HandlerStub();
  const others = new HandlerStub();
  let server: TestServer;
  let oauth: { token: string; base: string };
  const loggedDeletes = () => server.db.query<any>("SELECT * FROM event_log WHERE event LIKE 'ONIMBOT%DELETE'");

  before(async () => {
    await deletes.start();
    await others.start();
    server = await startTestServer({
      config: { delivery: FAST },
      features: [eventDelivery({ adminToken: 'admin-secret' })],
    });
    oauth = await oauthApp(server, 'local.app.deleting');
  });
  after(async () => {
    await server.close();
    await deletes.down();
    await others.down();
  });

  it('the EVENT_BOT_DELETE handler gets the documented POST, auth of the caller, after the bot is gone', async () => {
    const reg = await server.call(
      'imbot.register',
      {
        CODE: 'doomed',
        EVENT_MESSAGE_ADD: others.url,
        EVENT_WELCOME_MESSAGE: others.url,
        EVENT_BOT_DELETE: deletes.url,
        PROPERTIES: { NAME: 'Doomed' },
        auth: oauth.token,
      },
      oauth.base,
    );
    const botId = reg.body.result;
    const res = await server.call('imbot.unregister', { BOT_ID: botId, auth: oauth.token }, oauth.base);
    assert.equal(res.body.result, true);
    // Committed together: the event is in the log when the answer arrives, the bot no longer is.
    const [logged] = await loggedDeletes();
    assert.deepEqual([logged.event, logged.bot_ids, logged.bot_codes], ['ONIMBOTDELETE', [botId], ['doomed']]);
    assert.equal(await server.app.domain.bots.get(botId), undefined);

    const [post] = await deletes.waitFor(1);
    assert.deepEqual(Object.keys(post.form), ['event', 'event_handler_id', 'data', 'ts', 'auth']);
    assert.equal(post.form.event, 'ONIMBOTDELETE');
    assert.match(post.form.event_handler_id, /^\d+$/);
    assert.deepEqual(post.form.data, { BOT_ID: String(botId), BOT_CODE: 'doomed' });
    assert.equal(post.form.auth.user_id, '1', 'the user who unregistered the bot');
    assert.equal(typeof post.form.auth.access_token, 'string');
    assert.equal(post.form.auth.refresh_token, undefined, 'the page’s example has none');
    assert.equal(others.received.length, 0, 'only the EVENT_BOT_DELETE handler');
  });

  it('a refused unregister logs nothing', async () => {
    const before = (await loggedDeletes()).length;
    assertError(
      await server.call('imbot.unregister', { BOT_ID: 999999, auth: oauth.token }, oauth.base),
      400,
      'BOT_ID_ERROR',
    );
    const botId = await registerBot(server, 'stay', 'stay-bot');
    const other = await server.call('imbot.unregister', { BOT_ID: botId, CLIENT_ID: 'thief' });
    assertError(other, 400, 'APP_ID_ERROR');
    assert.equal((await loggedDeletes()).length, before);
  });

  it('imbot.v2.Bot.unregister shares the call: a v2 bot gets ONIMBOTV2DELETE with its last state', async () => {
    const botId = await v2Register(server, 'v2-doomed-token', 'v2doomed');
    const res = await server.call('imbot.v2.Bot.unregister', { botId, botToken: 'v2-doomed-token' });
    assert.deepEqual(res.body.result, { result: true });
    const logged = (await loggedDeletes()).find((row) => row.bot_ids.includes(botId));
    assert.equal(logged.event, 'ONIMBOTV2DELETE');
    assert.equal(logged.data.bot.id, botId);
    assert.equal(logged.data.bot.code, 'v2doomed');
  });
});
