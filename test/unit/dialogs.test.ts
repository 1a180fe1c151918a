import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dialogIdFor } from '../../src/domain/dialog-id.ts';
import type { Domain } from '../../src/domain/index.ts';
import { startTestServer, type TestServer } from '../helpers/harness.ts';

describe('dialogIdFor: the dialog id by which a viewer knows a chat', () => {
  it('a group or open chat is chat{id} for everyone', () => {
    assert.equal(dialogIdFor({ id: 12, type: 'C' }, 3, [3, 4, 5]), 'chat12');
    assert.equal(dialogIdFor({ id: 12, type: 'O' }, 9, []), 'chat12');
  });
  it('a private chat is the other member’s id, each side seeing the other', () => {
    assert.equal(dialogIdFor({ id: 7, type: 'P' }, 3, [3, 4]), '4');
    assert.equal(dialogIdFor({ id: 7, type: 'P' }, 4, [3, 4]), '3');
  });
});

// The one dialog resolver: each outcome the methods map to their own page's error code.
describe('Dialogs.resolve: what a dialog id names for a viewer', () => {
  let server: TestServer;
  let domain: Domain;
  let me: number;
  let peer: number;
  let gone: number;
  before(async () => {
    server = await startTestServer();
    domain = server.app.domain;
    me = (await domain.users.create({ name: 'Me' })).id;
    peer = (await domain.users.create({ name: 'Peer' })).id;
    gone = (await domain.users.create({ name: 'Gone', active: false })).id;
  });
  after(() => server.close());

  it('malformed ids, unknown chats and people, oneself', async () => {
    assert.deepEqual(await domain.dialogs.resolve(me, 'chatx'), { status: 'malformed' });
    assert.deepEqual(await domain.dialogs.resolve(me, undefined), { status: 'malformed' });
    assert.deepEqual(await domain.dialogs.resolve(me, 'chat999999'), { status: 'no-chat' });
    assert.deepEqual(await domain.dialogs.resolve(me, 999999), { status: 'no-user' });
    assert.deepEqual(await domain.dialogs.resolve(me, String(gone)), { status: 'no-user' });
    assert.deepEqual(await domain.dialogs.resolve(me, { kind: 'user', userId: me }), { status: 'self' });
  });

  it('a chat the viewer is not in comes with the chat (open chats are readable as a guest)', async () => {
    const chat = await domain.chats.create({ type: 'O', title: 'Open', authorId: peer, users: [] });
    const outcome = await domain.dialogs.resolve(me, `chat${chat.id}`);
    assert.equal(outcome.status, 'not-member');
    assert.equal(outcome.status === 'not-member' && outcome.chat.id, chat.id);
  });

  it('a group chat of the viewer, with its participants and typing place', async () => {
    const chat = await domain.chats.create({ type: 'C', title: 'Group', authorId: me, users: [peer] });
    const outcome = await domain.dialogs.resolve(me, `CHAT${chat.id}`);
    assert.equal(outcome.status, 'found');
    if (outcome.status !== 'found') return;
    assert.equal(outcome.dialog.kind, 'chat');
    assert.equal(outcome.dialog.chat?.id, chat.id);
    assert.deepEqual(outcome.dialog.participants, [me, peer]);
    assert.deepEqual(outcome.dialog.place, { kind: 'chat', chatId: chat.id });
  });

  it('a private dialog by the person (no chat yet) or by its chat id (with the chat)', async () => {
    const byPerson = await domain.dialogs.resolve(me, String(peer));
    assert.equal(byPerson.status, 'found');
    if (byPerson.status !== 'found' || byPerson.dialog.kind !== 'private') assert.fail('a private dialog');
    assert.equal(byPerson.dialog.peer.id, peer);
    assert.equal(byPerson.dialog.chat, undefined);
    assert.deepEqual(byPerson.dialog.place, { kind: 'private', userA: me, userB: peer });

    const chat = await domain.chats.privateChat(me, peer);
    const byChat = await domain.dialogs.resolve(peer, `chat${chat.id}`);
    if (byChat.status !== 'found' || byChat.dialog.kind !== 'private') assert.fail('a private dialog');
    assert.equal(byChat.dialog.peer.id, me);
    assert.equal(byChat.dialog.chat?.id, chat.id);
    assert.deepEqual(byChat.dialog.place, { kind: 'private', userA: peer, userB: me });
  });
});
