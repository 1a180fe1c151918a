import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../../src/clock.ts';
import { assertError, oauthApp, registerBot } from '../helpers/bots.ts';
import { startTestServer, type TestServer } from '../helpers/harness.ts';

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
    await server.app.domain.bots.unregister(bot);
    await assert.rejects(server.app.domain.bots.unregister(bot), {
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
    assertError(res, 400, 'APP_ID_ERROR', 'Bot was installed by another REST application');
    const plain = await server.call('imbot.unregister', { BOT_ID: botId });
    assertError(plain, 400, 'APP_ID_ERROR', 'Bot was installed by another REST application');
    assert.ok(await server.app.domain.bots.get(botId));
  });
});
