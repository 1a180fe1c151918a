import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { assertError, registerBot } from '../helpers/bots.ts';
import { startTestServer, type TestServer } from '../helpers/harness.ts';

describe('imbot.chat.leave', () => {
  let server: TestServer;
  let owner: number;
  let guest: number;
  let ann: number;
  let chatId: number;
  let privateId: number;
  const leave = (clientId: string, params: Record<string, unknown>) =>
    server.call('imbot.chat.leave', { CLIENT_ID: clientId, ...params });

  before(async () => {
    server = await startTestServer();
    owner = await registerBot(server, 'own', 'owner-bot');
    guest = await registerBot(server, 'guest', 'guest-bot');
    await registerBot(server, 'out', 'outsider-bot');
    ann = (await server.app.domain.users.create({ name: 'Ann' })).id;
    privateId = (await server.app.domain.chats.privateChat(guest, ann)).id;
  });
  after(() => server.close());
  beforeEach(async () => {
    chatId = (await server.call('imbot.chat.add', { CLIENT_ID: 'own', USERS: [guest, ann] })).body.result;
  });

  it('a member bot leaves', async () => {
    const res = await leave('guest', { CHAT_ID: chatId });
    assert.equal(res.status, 200);
    assert.equal(res.body.result, true);
    assert.deepEqual(await server.app.domain.chats.members(chatId), [owner, ann]);
  });

  it('the owner leaves once it has handed the chat over', async () => {
    assertError(await leave('own', { CHAT_ID: chatId }), 403, 'ACCESS_ERROR', 'LEAVE_OWNER_FORBIDDEN');
    await server.call('imbot.chat.setOwner', { CLIENT_ID: 'own', CHAT_ID: chatId, USER_ID: ann });
    assert.equal((await leave('own', { CHAT_ID: chatId })).body.result, true);
    assert.deepEqual(await server.app.domain.chats.members(chatId), [guest, ann]);
  });

  const cases: [string, string, () => Record<string, unknown>, number, string, string][] = [
    ['no CHAT_ID', 'guest', () => ({}), 400, 'CHAT_ID_EMPTY', "Chat ID can't be empty"],
    ['CHAT_ID negative', 'guest', () => ({ CHAT_ID: -5 }), 400, 'CHAT_ID_EMPTY', "Chat ID can't be empty"],
    ['the owner', 'own', () => ({ CHAT_ID: chatId }), 403, 'ACCESS_ERROR', 'LEAVE_OWNER_FORBIDDEN'],
    [
      'a chat the bot is not in',
      'out',
      () => ({ CHAT_ID: chatId }),
      400,
      'WRONG_REQUEST',
      "You don't have access or user isn't member in chat",
    ],
    // CIMChat::DeleteUser refuses an unknown chat; chatUserDelete words it as every other refusal
    [
      'an unknown chat',
      'guest',
      () => ({ CHAT_ID: 999999 }),
      400,
      'WRONG_REQUEST',
      "You don't have access or user isn't member in chat",
    ],
    [
      'a private dialog',
      'guest',
      () => ({ CHAT_ID: privateId }),
      403,
      'ACCESS_ERROR',
      'It is forbidden to delete users of this chat',
    ],
    ['an unknown bot', 'guest', () => ({ CHAT_ID: chatId, BOT_ID: 999999 }), 400, 'BOT_ID_ERROR', 'Bot not found'],
    [
      'another application’s bot',
      'out',
      () => ({ CHAT_ID: chatId, BOT_ID: guest }),
      400,
      'APP_ID_ERROR',
      'Bot was installed by another rest application',
    ],
    [
      'no CLIENT_ID over a webhook',
      'x',
      () => ({ CHAT_ID: chatId, CLIENT_ID: undefined }),
      403,
      'ACCESS_DENIED',
      'Access denied! Client ID not specified',
    ],
    // CIMRestService::chatUserDelete reads CHAT_ID before it resolves the application and the bot
    [
      'no CHAT_ID and no CLIENT_ID',
      'x',
      () => ({ CLIENT_ID: undefined }),
      400,
      'CHAT_ID_EMPTY',
      "Chat ID can't be empty",
    ],
  ];
  for (const [name, clientId, params, status, code, description] of cases) {
    it(`${name} → ${status} ${code}`, async () => {
      assertError(await leave(clientId, params()), status, code, description);
      assert.deepEqual(await server.app.domain.chats.members(chatId), [owner, guest, ann]);
    });
  }
});
