import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ManualClock } from '../../src/clock.ts';
import { COLORS } from '../../src/domain/chats.ts';
import type { BotEvent } from '../../src/domain/events.ts';
import { avatarsRoute } from '../../src/files/avatars-route.ts';
import { startTestServer, type TestServer } from '../helpers/harness.ts';
import { PNG_1X1 } from '../helpers/images.ts';
import { HANDLER, type Person, person, recordEvents, recordPulls, registerBot } from '../helpers/messenger.ts';
import { v2Register } from '../helpers/v2.ts';

const sorted = (ids: Iterable<number>) => [...ids].sort((a, b) => a - b);

// The v1 chat methods go through the messenger: bots are told they joined, changes get the im module's notices and
// Push & Pull commands, to exactly the chat's members (docs/decisions.md, "Chats (v1 bot methods)").
describe('imbot.chat.* through the messenger', () => {
  let server: TestServer;
  let events: BotEvent[];
  let pulls: ReturnType<typeof recordPulls>;
  let ann: Person;
  let bob: Person;
  let carl: Person;
  let creator: number; // application app1
  let guest: number; // application app2

  const as = (clientId: string) => (method: string, params: Record<string, unknown>) =>
    server.call(method, { CLIENT_ID: clientId, ...params });
  const app1 = as('app1');
  const app2 = as('app2');
  const lastMessage = (chatId: number) =>
    server.db.one<any>('SELECT * FROM messages WHERE chat_id = $1 ORDER BY id DESC LIMIT 1', [chatId]);
  const messageCount = async (chatId: number) =>
    (await server.db.one<{ n: number }>('SELECT count(*)::int AS n FROM messages WHERE chat_id = $1', [chatId]))!.n;
  const joins = () => events.filter((e) => e.event === 'ONIMBOTJOINCHAT');
  /** A chat of `creator` with Ann, Bob and the guest bot; recorders cleared. */
  async function crew(): Promise<number> {
    const res = await app1('imbot.chat.add', { TITLE: 'Crew', USERS: [ann.id, bob.id, guest] });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    events.length = 0;
    pulls.clear();
    return res.body.result;
  }

  before(async () => {
    server = await startTestServer({ clock: new ManualClock(), features: [avatarsRoute] });
    events = recordEvents(server);
    pulls = recordPulls(server);
    ann = await person(server, 'Ann');
    bob = await person(server, 'Bob');
    carl = await person(server, 'Carl');
    creator = await registerBot(server, 'app1', 'creator');
    guest = await registerBot(server, 'app2', 'guest');
  });
  after(() => server.close());
  beforeEach(() => {
    events.length = 0;
    pulls.clear();
  });

  describe('bots joining', () => {
    it('imbot.chat.add tells every bot in the chat, the creating one too; MESSAGE is the bot’s first message', async () => {
      const command = await app2('imbot.command.register', {
        BOT_ID: guest,
        COMMAND: 'help',
        COMMON: 'Y',
        EVENT_COMMAND_ADD: HANDLER,
        LANG: [{ LANGUAGE_ID: 'en', TITLE: 'Help' }],
      });
      assert.equal(command.status, 200, JSON.stringify(command.body));
      const res = await app1('imbot.chat.add', {
        TITLE: 'Launch',
        USERS: [ann.id, guest],
        ENTITY_TYPE: 'CRM',
        ENTITY_ID: 'DEAL|1',
        MESSAGE: `Welcome aboard, [USER=${guest}]guest[/USER]\n/help`,
      });
      const chatId = res.body.result;
      const params = (bot: number) => ({
        CHAT_TYPE: 'C',
        MESSAGE_TYPE: 'C',
        BOT_ID: String(bot),
        USER_ID: String(creator),
        CHAT_ID: String(chatId),
        CHAT_AUTHOR_ID: String(creator),
        CHAT_ENTITY_TYPE: 'CRM',
        CHAT_ENTITY_ID: 'DEAL|1',
        ACCESS_HISTORY: '1',
        DIALOG_ID: `chat${chatId}`,
        LANGUAGE: 'en',
      });
      assert.deepEqual(
        joins().map((e) => [e.botIds, e.userId, e.params]),
        [
          [[creator], creator, params(creator)],
          [[guest], creator, params(guest)],
        ],
      );
      // Written with the chat: the event log has them once the answer is back.
      const logged = await server.db.query<{ bot_ids: number[] }>(
        "SELECT bot_ids FROM event_log WHERE event = 'ONIMBOTJOINCHAT' AND dialog_id = $1 ORDER BY id",
        [`chat${chatId}`],
      );
      assert.deepEqual(
        logged.map((r) => r.bot_ids),
        [[creator], [guest]],
      );
      const first = await lastMessage(chatId);
      assert.equal(first.author_id, creator);
      assert.equal(first.system, false);
      assert.equal(first.text, `Welcome aboard, [USER=${guest}]guest[/USER]\n/help`);
      // A bot's message runs no commands and tells no bot, a mentioned one neither (the im module's SKIP_COMMAND).
      assert.deepEqual(
        events.map((e) => e.event),
        ['ONIMBOTJOINCHAT', 'ONIMBOTJOINCHAT'],
      );
      assert.deepEqual(sorted(pulls.named('messageChat').keys()), sorted([creator, ann.id, guest]));
    });

    it('imbot.chat.add without MESSAGE writes nothing; without bots besides the creator only it is told', async () => {
      const chatId = (await app1('imbot.chat.add', { USERS: [ann.id] })).body.result;
      assert.equal(await messageCount(chatId), 0);
      assert.deepEqual(
        joins().map((e) => e.botIds),
        [[creator]],
      );
    });

    it('imbot.chat.user.add: added bots are told, everyone gets chatUserAdd, the chat the "invited" notice', async () => {
      const chatId = (await app1('imbot.chat.add', { USERS: [ann.id] })).body.result;
      events.length = 0;
      pulls.clear();
      const res = await app1('imbot.chat.user.add', { CHAT_ID: chatId, USERS: [guest, bob.id], HIDE_HISTORY: 'N' });
      assert.equal(res.body.result, true);
      assert.deepEqual(
        joins().map((e) => [e.botIds, e.userId, e.params.ACCESS_HISTORY]),
        [[[guest], creator, '1']],
      );
      const added = pulls.named('chatUserAdd');
      assert.deepEqual(sorted(added.keys()), sorted([creator, ann.id, guest, bob.id]));
      assert.deepEqual(sorted(added.get(ann.id)!.newUsers), sorted([guest, bob.id]));
      const notice = await lastMessage(chatId);
      assert.equal(notice.author_id, creator);
      assert.equal(notice.system, true);
      assert.deepEqual(notice.params, { CODE: ['CHAT_JOIN'], NOTIFY: 'N' });
      assert.match(notice.text, /^\[USER=\d+ REPLACE\]creator Bot\[\/USER\] invited /);
    });

    it('imbot.chat.user.add with the history hidden (the default) says so to the bot', async () => {
      const chatId = (await app1('imbot.chat.add', { USERS: [ann.id], MESSAGE: 'hello' })).body.result;
      events.length = 0;
      await app1('imbot.chat.user.add', { CHAT_ID: chatId, USERS: [guest] });
      assert.equal(joins()[0].params.ACCESS_HISTORY, '0');
    });

    it('imbot.dialog.get of a bot opens the private dialog and tells the bot, once', async () => {
      const res = await carl.call('imbot.dialog.get', { DIALOG_ID: String(guest) });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.result.dialog_id, String(guest));
      assert.deepEqual(
        joins().map((e) => [e.botIds, e.userId, e.dialogId, e.params]),
        [
          [
            [guest],
            carl.id,
            String(carl.id),
            {
              CHAT_TYPE: 'P',
              MESSAGE_TYPE: 'P',
              BOT_ID: String(guest),
              USER_ID: String(carl.id),
              TO_USER_ID: String(carl.id),
              FROM_USER_ID: String(guest),
              DIALOG_ID: String(carl.id),
              LANGUAGE: 'en',
            },
          ],
        ],
      );
      await carl.call('imbot.dialog.get', { DIALOG_ID: String(guest) });
      assert.equal(joins().length, 1, 'an open dialog is not opened again');
    });
  });

  describe('Push & Pull of membership and chat changes', () => {
    it('imbot.chat.leave: chatUserLeave to everyone who was in the chat, the "left" notice to who stays', async () => {
      const chatId = await crew();
      const res = await app2('imbot.chat.leave', { CHAT_ID: chatId });
      assert.equal(res.body.result, true);
      const leave = pulls.named('chatUserLeave');
      assert.deepEqual(sorted(leave.keys()), sorted([creator, ann.id, bob.id, guest]));
      assert.deepEqual(leave.get(ann.id), {
        dialogId: `chat${chatId}`,
        chatId,
        chatTitle: 'Crew',
        userId: guest,
        message: '',
        userCount: 3,
      });
      const notice = await lastMessage(chatId);
      assert.equal(notice.author_id, guest);
      assert.equal(notice.system, true);
      assert.equal(notice.text, `[USER=${guest} REPLACE]guest Bot[/USER] left the chat`);
      assert.deepEqual(notice.params, { CODE: ['CHAT_LEAVE'], NOTIFY: 'N' });
      assert.deepEqual(sorted(pulls.named('messageChat').keys()), sorted([creator, ann.id, bob.id]));
    });

    it('imbot.chat.user.delete: the removed member gets chatUserLeave with the notice, and no more messages', async () => {
      const chatId = await crew();
      await app1('imbot.chat.user.delete', { CHAT_ID: chatId, USER_ID: ann.id });
      const text = `[USER=${creator} REPLACE]creator Bot[/USER] removed [USER=${ann.id} REPLACE]Ann[/USER] from the chat`;
      const leave = pulls.named('chatUserLeave');
      assert.deepEqual(sorted(leave.keys()), sorted([creator, ann.id, bob.id, guest]));
      assert.equal(leave.get(ann.id)!.userId, ann.id);
      assert.equal(leave.get(ann.id)!.message, text);
      assert.equal((await lastMessage(chatId)).text, text);
      assert.deepEqual(sorted(pulls.named('messageChat').keys()), sorted([creator, bob.id, guest]));
    });

    it('refused changes publish nothing', async () => {
      const chatId = await crew();
      assert.equal((await app1('imbot.chat.leave', { CHAT_ID: chatId })).body.error, 'ACCESS_ERROR');
      assert.equal((await app2('imbot.chat.user.delete', { CHAT_ID: chatId, USER_ID: ann.id })).status, 400);
      assert.equal((await app2('imbot.chat.setOwner', { CHAT_ID: chatId, USER_ID: ann.id })).status, 400);
      assert.equal((await app1('imbot.chat.updateColor', { CHAT_ID: chatId, COLOR: 'LIME' })).status, 200);
      pulls.clear();
      assert.equal((await app1('imbot.chat.updateColor', { CHAT_ID: chatId, COLOR: 'lime' })).status, 400);
      assert.equal(pulls.list.length, 0);
    });

    it('imbot.chat.updateTitle: chatRename to every member and the "changed the chat name" notice', async () => {
      const chatId = await crew();
      await app2('imbot.chat.updateTitle', { CHAT_ID: chatId, TITLE: ' Release crew ' });
      const rename = pulls.named('chatRename');
      assert.deepEqual(sorted(rename.keys()), sorted([creator, ann.id, bob.id, guest]));
      assert.deepEqual(rename.get(bob.id), { chatId, name: 'Release crew' });
      const notice = await lastMessage(chatId);
      assert.equal(notice.author_id, guest);
      assert.equal(notice.system, true);
      assert.equal(notice.text, `[USER=${guest} REPLACE]guest Bot[/USER] changed the chat name to "Release crew"`);
      // The same title again changes nothing: no notice, nothing published.
      const count = await messageCount(chatId);
      pulls.clear();
      assert.equal(
        (await app2('imbot.chat.updateTitle', { CHAT_ID: chatId, TITLE: 'Release crew' })).body.result,
        true,
      );
      assert.equal(await messageCount(chatId), count);
      assert.equal(pulls.list.length, 0);
    });

    it('imbot.chat.updateColor: chatChangeColor with the HEX and the "changed the chat color" notice', async () => {
      const chatId = await crew();
      await app1('imbot.chat.updateColor', { CHAT_ID: chatId, COLOR: 'light_blue' });
      const color = pulls.named('chatChangeColor');
      assert.deepEqual(sorted(color.keys()), sorted([creator, ann.id, bob.id, guest]));
      assert.deepEqual(color.get(ann.id), { chatId, color: COLORS.LIGHT_BLUE });
      assert.equal(
        (await lastMessage(chatId)).text,
        `[USER=${creator} REPLACE]creator Bot[/USER] changed the chat color to "Light blue"`,
      );
    });

    it('imbot.chat.updateAvatar: chatAvatar with the link it is served under; no notice', async () => {
      const chatId = await crew();
      await app1('imbot.chat.updateAvatar', { CHAT_ID: chatId, AVATAR: PNG_1X1 });
      const avatar = pulls.named('chatAvatar');
      assert.deepEqual(sorted(avatar.keys()), sorted([creator, ann.id, bob.id, guest]));
      assert.match(avatar.get(ann.id)!.avatar, new RegExp(`^${server.url}/upload/avatar/[0-9a-f]{32}\\.png$`));
      assert.equal(avatar.get(ann.id)!.chatId, chatId);
      assert.equal(await messageCount(chatId), 0);
      const served = await fetch(avatar.get(ann.id)!.avatar);
      assert.equal(served.status, 200);
      assert.equal(served.headers.get('content-type'), 'image/png');
    });

    it('imbot.chat.setOwner and setManager: chatOwner and chatManagers to every member', async () => {
      const chatId = await crew();
      await app1('imbot.chat.setManager', { CHAT_ID: chatId, USER_ID: ann.id });
      const grant = pulls.named('chatManagers');
      assert.deepEqual(sorted(grant.keys()), sorted([creator, ann.id, bob.id, guest]));
      assert.deepEqual(grant.get(bob.id), { dialogId: `chat${chatId}`, chatId, list: [creator, ann.id] });
      pulls.clear();
      await app1('imbot.chat.setManager', { CHAT_ID: chatId, USER_ID: ann.id, IS_MANAGER: 'N' });
      assert.deepEqual(pulls.named('chatManagers').get(ann.id)!.list, [creator]);
      pulls.clear();
      await app1('imbot.chat.setOwner', { CHAT_ID: chatId, USER_ID: bob.id });
      const owner = pulls.named('chatOwner');
      assert.deepEqual(sorted(owner.keys()), sorted([creator, ann.id, bob.id, guest]));
      assert.deepEqual(owner.get(ann.id), { dialogId: `chat${chatId}`, chatId, userId: bob.id });
      assert.equal(pulls.named('chatOwner').has(carl.id), false);
    });

    it('the v2 chat methods publish the same commands', async () => {
      const v2 = await v2Register(server, 'seam-token', 'seamer');
      const call = (method: string, params: Record<string, unknown>) =>
        server.call(`imbot.v2.Chat.${method}`, { botId: v2, botToken: 'seam-token', ...params });
      const chat = (await call('add', { fields: { title: 'V2', userIds: [ann.id, bob.id] } })).body.result.chat;
      const dialogId = `chat${chat.id}`;
      const everyone = sorted([v2, ann.id, bob.id]);
      pulls.clear();
      await call('update', { dialogId, fields: { title: 'V2 renamed', description: 'About' } });
      assert.deepEqual(sorted(pulls.named('chatRename').keys()), everyone);
      assert.deepEqual(pulls.named('chatDescription').get(ann.id), { chatId: chat.id, description: 'About' });
      await call('Manager.add', { dialogId, userIds: [ann.id] });
      assert.deepEqual(pulls.named('chatManagers').get(bob.id)!.list, [v2, ann.id]);
      await call('User.delete', { dialogId, userId: bob.id });
      assert.deepEqual(sorted(pulls.named('chatUserLeave').keys()), everyone);
      await call('setOwner', { dialogId, userId: ann.id });
      assert.equal(pulls.named('chatOwner').get(ann.id)!.userId, ann.id);
      pulls.clear();
      await call('leave', { dialogId });
      assert.deepEqual(sorted(pulls.named('chatUserLeave').keys()), sorted([v2, ann.id]));
    });
  });
});
