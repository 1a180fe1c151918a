import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../../src/clock.ts';
import { startTestServer, type TestServer } from '../helpers/harness.ts';
import { type Person, person, registerBot } from '../helpers/messenger.ts';

describe('im.recent.list', () => {
  let server: TestServer;
  const clock = new ManualClock();
  let ann: Person;
  let bob: Person;
  let carl: Person;
  let bot: number;
  let chatId: number;

  const say = async (who: Person, dialog: string, text: string) => {
    clock.advance(60_000);
    return (await who.call('im.message.add', { DIALOG_ID: dialog, MESSAGE: text })).body.result as number;
  };

  before(async () => {
    server = await startTestServer({ clock });
    ann = await person(server, 'Ann');
    bob = await person(server, 'Bob');
    carl = await person(server, 'Carl');
    bot = await registerBot(server, 'app1', 'recent');
    chatId = (await ann.call('im.chat.add', { TITLE: 'Plans', USERS: [bob.id] })).body.result;
    await say(ann, String(bob.id), 'hi Bob');
    await say(carl, String(ann.id), 'hi Ann');
    await say(carl, String(ann.id), 'are you there?');
    await say(bob, `chat${chatId}`, 'plan A');
    await server.call('imbot.message.add', { CLIENT_ID: 'app1', DIALOG_ID: String(ann.id), MESSAGE: 'bot says hi' });
    await ann.call('im.dialog.read', { DIALOG_ID: String(bot) });
  });
  after(() => server.close());

  it('lists the dialogs newest first with last message, counter and status; total -1', async () => {
    const res = await ann.call('im.recent.list', {});
    assert.equal(res.status, 200);
    assert.equal(res.body.total, -1);
    const { items, hasMore, hasMorePages } = res.body.result;
    assert.equal(hasMore, false);
    assert.equal(hasMorePages, false);
    assert.deepEqual(
      items.map((i: any) => [i.id, i.type, i.message.text, i.counter]),
      [
        [bot, 'user', 'bot says hi', 0],
        [`chat${chatId}`, 'chat', 'plan A', 1],
        [carl.id, 'user', 'are you there?', 2],
        [bob.id, 'user', 'hi Bob', 0],
      ],
    );
    const [withBot, plans, withCarl, withBob] = items;
    assert.equal(withBot.user.bot, true);
    assert.equal(withBot.title, 'recent Bot');
    assert.equal(withCarl.message.status, 'received');
    assert.equal(withBob.message.status, 'delivered', 'Bob has not read it');
    assert.equal(plans.chat.name, 'Plans');
    assert.equal(plans.chat.role, 'OWNER');
    assert.equal(plans.chat.user_counter, 2);
    assert.equal(plans.user.id, bob.id, 'the author of the last message');
    assert.equal(typeof plans.avatar.color, 'string');
  });

  it('a read dialog shows `read` to the sender', async () => {
    await bob.call('im.dialog.read', { DIALOG_ID: String(ann.id) });
    const items = (await ann.call('im.recent.list', {})).body.result.items;
    assert.equal(items.find((i: any) => i.id === bob.id).message.status, 'read');
  });

  it('filters: SKIP_DIALOG, SKIP_CHAT, UNREAD_ONLY', async () => {
    const ids = async (params: Record<string, unknown>) =>
      (await ann.call('im.recent.list', params)).body.result.items.map((i: any) => i.id);
    assert.deepEqual(await ids({ SKIP_DIALOG: 'Y' }), [`chat${chatId}`]);
    assert.deepEqual(await ids({ SKIP_CHAT: 'Y' }), [bot, carl.id, bob.id]);
    assert.deepEqual(await ids({ UNREAD_ONLY: 'Y' }), [`chat${chatId}`, carl.id]);
  });

  it('pages by OFFSET and LIMIT, and after LAST_MESSAGE_DATE', async () => {
    const first = (await ann.call('im.recent.list', { LIMIT: 2 })).body.result;
    assert.equal(first.items.length, 2);
    assert.equal(first.hasMore, true);
    const second = (await ann.call('im.recent.list', { LIMIT: 2, OFFSET: 2 })).body.result;
    assert.deepEqual(
      second.items.map((i: any) => i.id),
      [carl.id, bob.id],
    );
    assert.equal(second.hasMore, false);
    const after = (await ann.call('im.recent.list', { LAST_MESSAGE_DATE: first.items[1].date_update })).body.result;
    assert.deepEqual(
      after.items.map((i: any) => i.id),
      [carl.id, bob.id],
    );
  });

  it('someone with no dialogs gets an empty list', async () => {
    const dora = await person(server, 'Dora');
    const res = (await dora.call('im.recent.list', {})).body.result;
    assert.deepEqual(res.items, []);
    assert.equal(res.hasMore, false);
  });
});
