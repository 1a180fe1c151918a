import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../../src/clock.ts';
import type { ChatRow } from '../../src/domain/chats.ts';
import type { UserRow } from '../../src/domain/user-row.ts';
import { startTestServer, type TestServer } from '../helpers/harness.ts';
import { assertV2Error, v2Register } from '../helpers/v2.ts';

describe('im.v2.Event.* and imbot.v2.Event.get withUserEvents', () => {
  let server: TestServer;
  const clock = new ManualClock();
  let ann: UserRow;
  let chat: ChatRow;
  let botId: number;
  const live = () => ({ origin: server.url });
  const say = async (author: UserRow, text: string) =>
    server.app.domain.messenger.send({
      author,
      byBot: false,
      target: { kind: 'chat', chat },
      text,
      extras: {},
      system: false,
      live: live(),
    });
  const get = (params: Record<string, unknown> = {}) => server.call('im.v2.Event.get', params);
  const types = (res: { body: any }) => res.body.result.events.map((e: { type: string }) => e.type);

  before(async () => {
    server = await startTestServer({ clock });
    const { users, chats } = server.app.domain;
    ann = await users.create({ name: 'Ann', last_name: 'A' });
    chat = await chats.create({ type: 'C', title: 'Team', authorId: ann.id, users: [1] });
    botId = await v2Register(server, 'ue-token', 'user_events_bot');
  });
  after(() => server.close());

  it('records nothing before im.v2.Event.subscribe', async () => {
    await say(ann, 'before subscribing');
    assert.deepEqual((await get()).body.result, { events: [], nextOffset: 0, hasMore: false });
  });

  it('subscribe (idempotent) then messages, edits, reactions, deletions and joins of the user’s chats', async () => {
    assert.equal((await server.call('im.v2.Event.subscribe')).body.result, true);
    assert.equal((await server.call('im.v2.Event.subscribe')).body.result, true);
    const message = await say(ann, 'Hello everyone!');
    await server.app.domain.messenger.edit({ message, text: 'Hello all!', extras: {}, markEdited: true, live: live() });
    await server.app.domain.messenger.like(ann.id, message, 'plus', live());
    await server.app.domain.v2Chats.react(message.id, ann.id, 'fire', true);
    const bob = await server.app.domain.users.create({ name: 'Bob', last_name: 'B' });
    await server.app.domain.groupChats.addMembers({
      actor: ann,
      chat,
      userIds: [bob.id],
      hideHistory: false,
      live: live(),
    });
    await server.app.domain.messenger.remove({ message, complete: false, live: live() });
    const res = await get();
    assert.deepEqual(types(res), [
      'ONIMV2MESSAGEADD',
      'ONIMV2MESSAGEUPDATE',
      'ONIMV2REACTIONCHANGE',
      'ONIMV2REACTIONCHANGE',
      'ONIMV2JOINCHAT',
      'ONIMV2MESSAGEADD',
      'ONIMV2MESSAGEDELETE',
    ]);
    const [add, update, like, fire, join, notice, removed] = res.body.result.events;
    assert.deepEqual(Object.keys(add.data), ['message', 'chat', 'user', 'language']);
    assert.equal(add.data.message.text, 'Hello everyone!', 'the message as it was then');
    assert.equal(add.data.chat.dialogId, `chat${chat.id}`);
    assert.equal(add.data.user.id, ann.id);
    assert.equal(update.data.message.text, 'Hello all!');
    assert.deepEqual([like.data.reaction, like.data.action, like.data.user.id], ['like', 'add', ann.id]);
    assert.deepEqual([fire.data.reaction, fire.data.action], ['fire', 'add']);
    assert.deepEqual(Object.keys(join.data), ['dialogId', 'chat', 'user', 'language']);
    assert.equal(join.data.user.id, bob.id);
    assert.equal(notice.data.message.isSystem, true);
    assert.deepEqual(Object.keys(removed.data), ['messageId', 'chat', 'user', 'language']);
    assert.equal(removed.data.messageId, message.id);
    const { nextOffset } = res.body.result;
    assert.deepEqual((await get({ offset: nextOffset })).body.result, { events: [], nextOffset, hasMore: false });
  });

  it('withUserEvents: one answer, one offset for the bot’s and the user’s events', async () => {
    await say(ann, 'for the user stream');
    const res = await server.call('imbot.v2.Event.get', { botId, botToken: 'ue-token', withUserEvents: true });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(types(res), ['ONIMV2MESSAGEADD']);
    const { nextOffset } = res.body.result;
    await server.call('imbot.v2.Event.get', { botId, botToken: 'ue-token', withUserEvents: true, offset: nextOffset });
    assert.deepEqual((await get()).body.result.events, [], 'acknowledged for im.v2.Event.get too');
  });

  it('hidden history hides events about earlier messages; a like taken back and a complete removal', async () => {
    await get({ offset: (await get({ limit: 1000 })).body.result.nextOffset });
    const { messenger, groupChats, chats } = server.app.domain;
    const later = await chats.create({ type: 'C', title: 'Later', authorId: ann.id, users: [] });
    const old = await messenger.send({
      author: ann,
      byBot: false,
      target: { kind: 'chat', chat: later },
      text: 'before you came',
      extras: {},
      system: false,
      live: live(),
    });
    const me = (await server.app.domain.users.get(1))!;
    await groupChats.addMembers({ actor: ann, chat: later, userIds: [1], hideHistory: true, live: live() });
    await messenger.edit({ message: old, text: 'still before you came', extras: {}, markEdited: true, live: live() });
    const mine = await messenger.send({
      author: me,
      byBot: false,
      target: { kind: 'chat', chat: later },
      text: 'hi',
      extras: {},
      system: false,
      live: live(),
    });
    await messenger.like(ann.id, mine, 'plus', live());
    await messenger.like(ann.id, mine, 'minus', live());
    await messenger.remove({ message: mine, complete: true, live: live() });
    const { events, nextOffset } = (await get()).body.result;
    await get({ offset: nextOffset });
    assert.deepEqual(
      events.map((e: any) => [e.type, e.data.action ?? '']),
      [
        ['ONIMV2JOINCHAT', ''],
        ['ONIMV2MESSAGEADD', ''], // the "invited" notice
        ['ONIMV2MESSAGEADD', ''],
        ['ONIMV2REACTIONCHANGE', 'add'],
        ['ONIMV2REACTIONCHANGE', 'delete'],
        ['ONIMV2MESSAGEDELETE', ''],
      ],
    );
    assert.equal(events[0].data.user.id, 1);
    assert.equal(events[4].data.user.id, ann.id, 'who took the like back');
    assert.equal(events[5].data.messageId, mine.id);
  });

  it('unsubscribe stops recording; what was recorded stays', async () => {
    await say(ann, 'still recorded');
    assert.equal((await server.call('im.v2.Event.unsubscribe')).body.result, true);
    await say(ann, 'not recorded');
    assert.deepEqual(
      (await get()).body.result.events.map((e: any) => e.data.message.text),
      ['still recorded'],
    );
    assertV2Error(
      await server.call('imbot.v2.Event.get', { botId, botToken: 'ue-token', withUserEvents: true }),
      400,
      'USER_NOT_SUBSCRIBED',
    );
  });

  it('user events expire after 24 hours', async () => {
    await server.call('im.v2.Event.subscribe');
    const { nextOffset } = (await get({ limit: 1000 })).body.result;
    await get({ offset: nextOffset });
    await say(ann, 'short-lived');
    assert.equal((await get()).body.result.events.length, 1);
    clock.advance(24 * 3600 * 1000);
    assert.deepEqual((await get()).body.result.events, []);
  });
});
