import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { assertError, registerBot } from '../helpers/bots.ts';
import { startTestServer, type TestServer } from '../helpers/harness.ts';

// imbot.chat.user.add, imbot.chat.user.list, imbot.chat.user.delete
describe('imbot.chat.user.*', () => {
  let server: TestServer;
  let owner: number; // owns `chatId` (application "own")
  let helper: number; // a plain member of `chatId` (application "help")
  let ann: number;
  let bob: number;
  let chatId: number;
  let privateId: number;

  const as = (clientId: string) => (method: string, params: Record<string, unknown>) =>
    server.call(method, { CLIENT_ID: clientId, ...params });
  const own = as('own');
  const help = as('help');
  const out = as('out');
  const members = async (id = chatId) => (await server.app.domain.chats.memberRows(id)).map((m) => m.user_id);

  before(async () => {
    server = await startTestServer();
    owner = await registerBot(server, 'own', 'owner-bot');
    helper = await registerBot(server, 'help', 'helper-bot');
    await registerBot(server, 'out', 'outsider-bot'); // in no chat
    ann = (await server.app.domain.users.create({ name: 'Ann' })).id;
    bob = (await server.app.domain.users.create({ name: 'Bob' })).id;
    privateId = (await server.app.domain.chats.privateChat(owner, ann)).id;
  });
  after(() => server.close());
  beforeEach(async () => {
    chatId = (await own('imbot.chat.add', { USERS: [helper, ann] })).body.result;
  });

  describe('imbot.chat.user.list', () => {
    it('answers member ids as numbers, in joining order', async () => {
      await own('imbot.chat.user.add', { CHAT_ID: chatId, USERS: [bob] });
      const res = await help('imbot.chat.user.list', { CHAT_ID: chatId });
      assert.equal(res.status, 200);
      assert.deepEqual(res.body.result, [owner, helper, ann, bob]);
    });

    it('lists the two people of a private dialog', async () => {
      const res = await own('imbot.chat.user.list', { CHAT_ID: privateId });
      assert.deepEqual([...res.body.result].sort(), [owner, ann].sort());
    });

    const cases: [string, Record<string, unknown>, number, string, string][] = [
      ['no CHAT_ID', {}, 400, 'CHAT_ID_EMPTY', "Chat ID can't be empty"],
      ['CHAT_ID zero', { CHAT_ID: 0 }, 400, 'CHAT_ID_EMPTY', "Chat ID can't be empty"],
      ['CHAT_ID not a number', { CHAT_ID: 'chat1' }, 400, 'CHAT_ID_EMPTY', "Chat ID can't be empty"],
      ['an unknown bot', { CHAT_ID: 1, BOT_ID: 999999 }, 400, 'BOT_ID_ERROR', 'Bot not found'],
    ];
    for (const [name, params, status, code, description] of cases) {
      it(`${name} → ${status} ${code}`, async () => {
        assertError(await own('imbot.chat.user.list', params), status, code, description);
      });
    }

    it('a chat the bot is not in, or none → [] (CIMChat::GetChatData shows the bot nothing)', async () => {
      assert.deepEqual((await out('imbot.chat.user.list', { CHAT_ID: chatId })).body.result, []);
      assert.deepEqual((await own('imbot.chat.user.list', { CHAT_ID: 999999 })).body.result, []);
    });

    it('another application’s bot → APP_ID_ERROR in the page’s wording', async () => {
      const res = await out('imbot.chat.user.list', { CHAT_ID: chatId, BOT_ID: owner });
      assertError(res, 400, 'APP_ID_ERROR', 'Bot was installed by another rest application');
    });
  });

  describe('imbot.chat.user.add', () => {
    it('any member adds people; history is hidden by default', async () => {
      await server.db.query('UPDATE chats SET last_message_id = 41 WHERE id = $1', [chatId]);
      server.app.domain.chats.forget(chatId);
      const res = await help('imbot.chat.user.add', { CHAT_ID: chatId, USERS: [bob] });
      assert.equal(res.status, 200);
      assert.equal(res.body.result, true);
      assert.deepEqual(await members(), [owner, helper, ann, bob]);
      assert.equal((await server.app.domain.chats.member(chatId, bob))?.start_id, 42);
    });

    it('HIDE_HISTORY=N shows the whole history', async () => {
      await own('imbot.chat.user.add', { CHAT_ID: chatId, USERS: [bob], HIDE_HISTORY: 'N' });
      assert.equal((await server.app.domain.chats.member(chatId, bob))?.start_id, 0);
    });

    it('takes USERS as a form list and leaves unknown users out', async () => {
      const body = new URLSearchParams([
        ['CLIENT_ID', 'own'],
        ['CHAT_ID', String(chatId)],
        ['USERS[0]', String(bob)],
        ['USERS[1]', '999999'],
      ]);
      const res = await fetch(`${server.webhook}imbot.chat.user.add`, { method: 'POST', body });
      assert.equal(((await res.json()) as { result: boolean }).result, true);
      assert.deepEqual(await members(), [owner, helper, ann, bob]);
    });

    const already = "You don't have access or user already member in chat";
    const cases: [string, () => Record<string, unknown>, number, string, string][] = [
      ['no CHAT_ID', () => ({ USERS: [bob] }), 400, 'CHAT_ID_EMPTY', "Chat ID can't be empty"],
      ['an unknown chat', () => ({ CHAT_ID: 999999, USERS: [bob] }), 400, 'WRONG_REQUEST', already],
      [
        'a private dialog',
        () => ({ CHAT_ID: privateId, USERS: [bob] }),
        403,
        'ACCESS_ERROR',
        'It is forbidden to add users to this chat',
      ],
    ];
    for (const [name, params, status, code, description] of cases) {
      it(`${name} → ${status} ${code}`, async () => {
        assertError(await own('imbot.chat.user.add', params()), status, code, description);
        assert.deepEqual(await members(), [owner, helper, ann]);
      });
    }

    it('a chat the bot is not in → 400 WRONG_REQUEST (CIMChat::AddUser: ACCESS_DENIED_EXTEND)', async () => {
      const res = await out('imbot.chat.user.add', { CHAT_ID: chatId, USERS: [bob] });
      assertError(res, 400, 'WRONG_REQUEST', already);
    });

    // "User IDs must be passed in array format" is the platform's answer to extranet bots only
    const nobodyNew: [string, () => Record<string, unknown>][] = [
      ['no USERS', () => ({ CHAT_ID: chatId })],
      ['an empty USERS', () => ({ CHAT_ID: chatId, USERS: [] })],
      ['only members already', () => ({ CHAT_ID: chatId, USERS: [ann] })],
      ['only unknown users', () => ({ CHAT_ID: chatId, USERS: [999999] })],
    ];
    for (const [name, params] of nobodyNew) {
      it(`nobody new to add answers true as a portal does (${name}): the newest CIMChat::AddUser answers true`, async () => {
        const res = await own('imbot.chat.user.add', params());
        assert.equal(res.status, 200, JSON.stringify(res.body));
        assert.equal(res.body.result, true);
        assert.deepEqual(await members(), [owner, helper, ann]);
      });
    }

    it('another application’s bot → APP_ID_ERROR in the page’s wording', async () => {
      const res = await out('imbot.chat.user.add', { CHAT_ID: chatId, USERS: [bob], BOT_ID: owner });
      assertError(res, 400, 'APP_ID_ERROR', 'Bot was installed by another rest application');
    });
  });

  describe('imbot.chat.user.delete', () => {
    const notMember = "You don't have access or user isn't member in chat";

    it('the owner removes a member', async () => {
      const res = await own('imbot.chat.user.delete', { CHAT_ID: chatId, USER_ID: ann });
      assert.equal(res.status, 200);
      assert.equal(res.body.result, true);
      assert.deepEqual(await members(), [owner, helper]);
    });

    it('only the owner removes others: a manager is refused as CIMChat::DeleteUser refuses it (IM_ERROR_KICK)', async () => {
      await own('imbot.chat.setManager', { CHAT_ID: chatId, USER_ID: helper });
      const res = await help('imbot.chat.user.delete', { CHAT_ID: chatId, USER_ID: ann });
      assertError(res, 400, 'WRONG_REQUEST', notMember);
      assert.deepEqual(await members(), [owner, helper, ann]);
    });

    it('a plain member may remove only itself', async () => {
      assertError(
        await help('imbot.chat.user.delete', { CHAT_ID: chatId, USER_ID: ann }),
        400,
        'WRONG_REQUEST',
        notMember,
      );
      assert.equal((await help('imbot.chat.user.delete', { CHAT_ID: chatId, USER_ID: helper })).body.result, true);
      assert.deepEqual(await members(), [owner, ann]);
    });

    const cases: [string, () => Record<string, unknown>, number, string, string][] = [
      ['no CHAT_ID', () => ({ USER_ID: ann }), 400, 'CHAT_ID_EMPTY', "Chat ID can't be empty"],
      ['no USER_ID', () => ({ CHAT_ID: chatId }), 400, 'USER_ID_EMPTY', "User ID can't be empty"],
      ['USER_ID zero', () => ({ CHAT_ID: chatId, USER_ID: 0 }), 400, 'USER_ID_EMPTY', "User ID can't be empty"],
      ['a user not in the chat', () => ({ CHAT_ID: chatId, USER_ID: bob }), 400, 'WRONG_REQUEST', notMember],
      ['an unknown user', () => ({ CHAT_ID: chatId, USER_ID: 999999 }), 400, 'WRONG_REQUEST', notMember],
      ['the owner itself', () => ({ CHAT_ID: chatId, USER_ID: owner }), 403, 'ACCESS_ERROR', 'LEAVE_OWNER_FORBIDDEN'],
      // CIMChat::DeleteUser refuses an unknown chat; chatUserDelete words it as every other refusal
      ['an unknown chat', () => ({ CHAT_ID: 999999, USER_ID: ann }), 400, 'WRONG_REQUEST', notMember],
      [
        'a private dialog',
        () => ({ CHAT_ID: privateId, USER_ID: ann }),
        403,
        'ACCESS_ERROR',
        'It is forbidden to delete users of this chat',
      ],
    ];
    for (const [name, params, status, code, description] of cases) {
      it(`${name} → ${status} ${code}`, async () => {
        assertError(await own('imbot.chat.user.delete', params()), status, code, description);
        assert.deepEqual(await members(), [owner, helper, ann]);
      });
    }

    it('a manager removing the owner → WRONG_REQUEST (DeleteUser: ACCESS_DENIED_KICK, not the owner leaving)', async () => {
      await own('imbot.chat.setManager', { CHAT_ID: chatId, USER_ID: helper });
      const res = await help('imbot.chat.user.delete', { CHAT_ID: chatId, USER_ID: owner });
      assertError(res, 400, 'WRONG_REQUEST', notMember);
    });

    it('a chat the bot is not in → 400 WRONG_REQUEST', async () => {
      const res = await out('imbot.chat.user.delete', { CHAT_ID: chatId, USER_ID: ann });
      assertError(res, 400, 'WRONG_REQUEST', notMember);
    });

    it('another application’s bot → APP_ID_ERROR in the page’s wording', async () => {
      const res = await out('imbot.chat.user.delete', { CHAT_ID: chatId, USER_ID: ann, BOT_ID: owner });
      assertError(res, 400, 'APP_ID_ERROR', 'Bot was installed by another rest application');
      assertError(
        await own('imbot.chat.user.delete', { CHAT_ID: chatId, USER_ID: ann, BOT_ID: 999999 }),
        400,
        'BOT_ID_ERROR',
        'Bot not found',
      );
    });
  });
});
