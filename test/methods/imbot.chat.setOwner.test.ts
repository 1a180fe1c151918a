import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { managerList } from '../../src/domain/chat-rules.ts';
import { assertError, registerBot } from '../helpers/bots.ts';
import { startTestServer, type TestServer } from '../helpers/harness.ts';

// imbot.chat.setOwner and imbot.chat.setManager: what only the owner may do
describe('imbot.chat.setOwner / imbot.chat.setManager', () => {
  let server: TestServer;
  let owner: number;
  let member: number;
  let ann: number;
  let bob: number;
  let chatId: number;
  let privateId: number;
  const call = (method: string, clientId: string, params: Record<string, unknown>) =>
    server.call(method, { CLIENT_ID: clientId, ...params });
  const chat = async () => (await server.app.domain.chats.get(chatId))!;
  const managers = async () => managerList(await chat(), await server.app.domain.chats.memberRows(chatId));

  before(async () => {
    server = await startTestServer();
    owner = await registerBot(server, 'own', 'owner-bot');
    member = await registerBot(server, 'mem', 'member-bot');
    await registerBot(server, 'out', 'outsider-bot');
    ann = (await server.app.domain.users.create({ name: 'Ann' })).id;
    bob = (await server.app.domain.users.create({ name: 'Bob' })).id;
    privateId = (await server.app.domain.chats.privateChat(owner, ann)).id;
  });
  after(() => server.close());
  beforeEach(async () => {
    chatId = (await call('imbot.chat.add', 'own', { USERS: [member, ann] })).body.result;
  });

  describe('imbot.chat.setOwner', () => {
    it('the owning bot hands the chat to a member', async () => {
      const res = await call('imbot.chat.setOwner', 'own', { CHAT_ID: chatId, USER_ID: ann });
      assert.equal(res.status, 200);
      assert.equal(res.body.result, true);
      assert.equal((await chat()).owner_id, ann);
      // and is no longer the owner
      assertError(
        await call('imbot.chat.setOwner', 'own', { CHAT_ID: chatId, USER_ID: owner }),
        400,
        'WRONG_REQUEST',
        'Change owner can only owner and user must be member in chat',
      );
    });

    it('naming the current owner changes nothing', async () => {
      assert.equal((await call('imbot.chat.setOwner', 'own', { CHAT_ID: chatId, USER_ID: owner })).body.result, true);
      assert.equal((await chat()).owner_id, owner);
    });

    const onlyOwner = 'Change owner can only owner and user must be member in chat';
    const cases: [string, string, () => Record<string, unknown>, number, string, string][] = [
      ['no CHAT_ID', 'own', () => ({ USER_ID: ann }), 400, 'CHAT_ID_EMPTY', "Chat ID can't be empty"],
      ['no USER_ID', 'own', () => ({ CHAT_ID: chatId }), 400, 'USER_ID_EMPTY', "User ID can't be empty"],
      [
        'USER_ID not a number',
        'own',
        () => ({ CHAT_ID: chatId, USER_ID: 'x' }),
        400,
        'USER_ID_EMPTY',
        "User ID can't be empty",
      ],
      ['a user not in the chat', 'own', () => ({ CHAT_ID: chatId, USER_ID: bob }), 400, 'WRONG_REQUEST', onlyOwner],
      [
        'a member that is not the owner',
        'mem',
        () => ({ CHAT_ID: chatId, USER_ID: ann }),
        400,
        'WRONG_REQUEST',
        onlyOwner,
      ],
      ['a chat the bot is not in', 'out', () => ({ CHAT_ID: chatId, USER_ID: ann }), 400, 'WRONG_REQUEST', onlyOwner],
      // CIMChat::SetOwner refuses both; chatSetOwner's ACCESS_ERROR is the general chat's only
      ['an unknown chat', 'own', () => ({ CHAT_ID: 999999, USER_ID: ann }), 400, 'WRONG_REQUEST', onlyOwner],
      ['a private dialog', 'own', () => ({ CHAT_ID: privateId, USER_ID: ann }), 400, 'WRONG_REQUEST', onlyOwner],
      [
        'another application’s bot',
        'out',
        () => ({ CHAT_ID: chatId, USER_ID: ann, BOT_ID: owner }),
        400,
        'APP_ID_ERROR',
        'Bot was installed by another rest application',
      ],
      [
        'an unknown bot',
        'own',
        () => ({ CHAT_ID: chatId, USER_ID: ann, BOT_ID: 999999 }),
        400,
        'BOT_ID_ERROR',
        'Bot not found',
      ],
    ];
    for (const [name, clientId, params, status, code, description] of cases) {
      it(`${name} → ${status} ${code}`, async () => {
        assertError(await call('imbot.chat.setOwner', clientId, params()), status, code, description);
        assert.equal((await chat()).owner_id, owner);
      });
    }
  });

  describe('imbot.chat.setManager', () => {
    it('grants (IS_MANAGER defaults to Y) and revokes manager rights', async () => {
      assert.deepEqual(await managers(), [owner]);
      const res = await call('imbot.chat.setManager', 'own', { CHAT_ID: chatId, USER_ID: ann });
      assert.equal(res.status, 200);
      assert.equal(res.body.result, true);
      assert.deepEqual(await managers(), [owner, ann]);
      await call('imbot.chat.setManager', 'own', { CHAT_ID: chatId, USER_ID: ann, IS_MANAGER: 'N' });
      assert.deepEqual(await managers(), [owner]);
    });

    it('a manager is not the owner: it cannot appoint managers', async () => {
      await call('imbot.chat.setManager', 'own', { CHAT_ID: chatId, USER_ID: member });
      assertError(
        await call('imbot.chat.setManager', 'mem', { CHAT_ID: chatId, USER_ID: ann }),
        400,
        'WRONG_REQUEST',
        'Change manager can only owner and user must be member in chat',
      );
    });

    const onlyOwner = 'Change manager can only owner and user must be member in chat';
    const cases: [string, string, () => Record<string, unknown>, number, string, string][] = [
      ['no CHAT_ID', 'own', () => ({ USER_ID: ann }), 400, 'CHAT_ID_EMPTY', "Chat ID can't be empty"],
      ['no USER_ID', 'own', () => ({ CHAT_ID: chatId }), 400, 'USER_ID_EMPTY', "User ID can't be empty"],
      ['a user not in the chat', 'own', () => ({ CHAT_ID: chatId, USER_ID: bob }), 400, 'WRONG_REQUEST', onlyOwner],
      [
        'a member that is not the owner',
        'mem',
        () => ({ CHAT_ID: chatId, USER_ID: ann }),
        400,
        'WRONG_REQUEST',
        onlyOwner,
      ],
      ['a chat the bot is not in', 'out', () => ({ CHAT_ID: chatId, USER_ID: ann }), 400, 'WRONG_REQUEST', onlyOwner],
      ['an unknown chat', 'own', () => ({ CHAT_ID: 999999, USER_ID: ann }), 400, 'WRONG_REQUEST', onlyOwner],
      ['a private dialog', 'own', () => ({ CHAT_ID: privateId, USER_ID: ann }), 400, 'WRONG_REQUEST', onlyOwner],
      [
        'another application’s bot',
        'out',
        () => ({ CHAT_ID: chatId, USER_ID: ann, BOT_ID: owner }),
        400,
        'APP_ID_ERROR',
        'Bot was installed by another rest application',
      ],
      [
        'an unknown bot',
        'own',
        () => ({ CHAT_ID: chatId, USER_ID: ann, BOT_ID: 999999 }),
        400,
        'BOT_ID_ERROR',
        'Bot not found',
      ],
    ];
    for (const [name, clientId, params, status, code, description] of cases) {
      it(`${name} → ${status} ${code}`, async () => {
        assertError(await call('imbot.chat.setManager', clientId, params()), status, code, description);
        assert.deepEqual(await managers(), [owner]);
      });
    }
  });
});
