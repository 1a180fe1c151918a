import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../../src/clock.ts';
import { atom } from '../../src/wire/envelope.ts';
import { assertError, registerBot } from '../helpers/bots.ts';
import { startTestServer, type TestServer } from '../helpers/harness.ts';
import { PNG_1X1 } from '../helpers/images.ts';

describe('imbot.dialog.get', () => {
  let server: TestServer;
  const clock = new ManualClock(Date.UTC(2026, 1, 24, 11, 19, 39));
  let botId: number;
  let ann: number;
  let annHook: string;
  const get = (params: Record<string, unknown>, base?: string) => server.call('imbot.dialog.get', params, base);

  before(async () => {
    server = await startTestServer({ clock });
    botId = await registerBot(server, 'dlg', 'dialog-bot', { PROPERTIES: { NAME: 'My', LAST_NAME: 'Bot' } });
    ann = (await server.app.domain.users.create({ name: 'Ann', last_name: 'Lee' })).id;
    const hook = await server.app.domain.identities.createWebhook(ann, [], 'anntoken');
    annHook = `${server.url}/rest/${ann}/${hook.token}/`;
  });
  after(() => server.close());

  /** Two messages from Ann; the bot has read the first. */
  async function withMessages(chatId: number): Promise<[number, number]> {
    const ids: number[] = [];
    for (const text of ['one', 'two']) {
      const row = await server.db.one<{ id: number }>(
        'INSERT INTO messages (chat_id, author_id, text) VALUES ($1, $2, $3) RETURNING id',
        [chatId, ann, text],
      );
      ids.push(row!.id);
    }
    await server.db.query('UPDATE chats SET last_message_id = $2, message_count = 2 WHERE id = $1', [chatId, ids[1]]);
    await server.db.query('UPDATE chat_members SET last_read_id = $3 WHERE chat_id = $1 AND user_id = $2', [
      chatId,
      botId,
      ids[0],
    ]);
    await server.db.query('UPDATE chat_members SET last_read_id = $3 WHERE chat_id = $1 AND user_id = $2', [
      chatId,
      ann,
      ids[1],
    ]);
    server.app.domain.chats.forget(chatId);
    return [ids[0], ids[1]];
  }

  it('answers the full field set of a group chat, as the bot of the calling application sees it', async () => {
    const chatId = (
      await server.call('imbot.chat.add', {
        CLIENT_ID: 'dlg',
        TITLE: 'New Chat Name',
        DESCRIPTION: 'Important News',
        COLOR: 'PINK',
        USERS: [ann],
        ENTITY_TYPE: 'CHAT',
        ENTITY_ID: '13',
        AVATAR: PNG_1X1,
      })
    ).body.result;
    const [first, last] = await withMessages(chatId);
    const avatar = (await server.app.domain.chats.get(chatId))!.avatar;
    const res = await get({ DIALOG_ID: `chat${chatId}`, CLIENT_ID: 'dlg' });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.result, {
      id: chatId,
      parent_chat_id: 0,
      parent_message_id: 0,
      name: 'New Chat Name',
      description: 'Important News',
      owner: botId,
      extranet: false,
      avatar: `${server.url}${avatar}`,
      color: '#f76187',
      type: 'chat',
      counter: 1,
      user_counter: 2,
      message_count: 2,
      unread_id: last,
      restrictions: {
        avatar: true,
        rename: true,
        extend: true,
        call: true,
        mute: true,
        leave: true,
        leave_owner: false,
        send: true,
        user_list: true,
        path: '',
        path_title: '',
      },
      last_message_id: last,
      last_id: first,
      marked_id: 0,
      disk_folder_id: 0,
      entity_type: 'CHAT',
      entity_id: '13',
      entity_data_1: '',
      entity_data_2: '',
      entity_data_3: '',
      mute_list: [],
      date_create: atom(clock.now()),
      message_type: 'C',
      public: '',
      role: 'owner',
      entity_link: { type: 'CHAT', url: '', id: '13' },
      text_field_enabled: true,
      background_id: null,
      permissions: {
        manage_users_add: 'member',
        manage_users_delete: 'manager',
        manage_ui: 'member',
        manage_settings: 'owner',
        manage_messages: 'member',
        can_post: 'member',
      },
      is_new: false,
      readed_list: [{ user_id: ann, user_name: 'Ann Lee', message_id: last, date: null }],
      manager_list: [botId],
      last_message_views: { message_id: last, first_viewers: [], count_of_viewers: 0 },
      dialog_id: `chat${chatId}`,
    });
    // Ann, a member, sees it as herself; the bot has not read her last message, so nobody has viewed it
    const asAnn = await get({ DIALOG_ID: `chat${chatId}` }, annHook);
    assert.equal(asAnn.body.result.role, 'member');
    assert.equal(asAnn.body.result.counter, 0);
    assert.equal(asAnn.body.result.last_id, last);
    assert.deepEqual(asAnn.body.result.readed_list, [
      { user_id: botId, user_name: 'My Bot', message_id: first, date: null },
    ]);
  });

  it('counts who has read the last message, its author left out', async () => {
    const chatId = (await server.call('imbot.chat.add', { CLIENT_ID: 'dlg', USERS: [ann, 1] })).body.result;
    const [, last] = await withMessages(chatId);
    await server.db.query('UPDATE chat_members SET last_read_id = $2 WHERE chat_id = $1', [chatId, last]);
    const res = await get({ DIALOG_ID: `chat${chatId}`, CLIENT_ID: 'dlg' });
    assert.equal(res.body.result.last_message_views.count_of_viewers, 2);
    assert.equal(res.body.result.counter, 0);
  });

  it('readed_list[].date is when the member last moved its read mark', async () => {
    const chatId = (await server.call('imbot.chat.add', { CLIENT_ID: 'dlg', USERS: [ann] })).body.result;
    await server.call('imbot.message.add', { CLIENT_ID: 'dlg', DIALOG_ID: `chat${chatId}`, MESSAGE: 'news' });
    clock.advance(90_000);
    const readAt = clock.now();
    assert.equal((await server.call('im.dialog.read', { DIALOG_ID: `chat${chatId}` }, annHook)).status, 200);
    clock.advance(60_000);
    const res = await get({ DIALOG_ID: `chat${chatId}`, CLIENT_ID: 'dlg' });
    const [entry] = res.body.result.readed_list;
    assert.equal(entry.user_id, ann);
    assert.equal(entry.date, atom(readAt));
  });

  it('a chat created without a colour still shows one', async () => {
    const chatId = (await server.call('imbot.chat.add', { CLIENT_ID: 'dlg', TYPE: 'OPEN' })).body.result;
    const res = await get({ DIALOG_ID: `chat${chatId}`, CLIENT_ID: 'dlg' });
    assert.match(res.body.result.color, /^#[0-9a-f]{6}$/);
    assert.equal(res.body.result.type, 'open');
    assert.equal(res.body.result.message_type, 'O');
    assert.equal(res.body.result.is_new, true);
    assert.equal(res.body.result.avatar, '');
  });

  it('an open chat is readable by anyone, as a guest', async () => {
    const chatId = (await server.call('imbot.chat.add', { CLIENT_ID: 'dlg', TYPE: 'OPEN' })).body.result;
    const res = await get({ DIALOG_ID: `chat${chatId}` }, annHook);
    assert.equal(res.body.result.role, 'guest');
    assert.equal(res.body.result.last_id, 0);
  });

  it('a user id is the caller’s private dialog with that user, opened on first use', async () => {
    const res = await get({ DIALOG_ID: String(ann) });
    assert.equal(res.status, 200);
    const view = res.body.result;
    assert.equal(view.type, 'private');
    assert.equal(view.message_type, 'P');
    assert.equal(view.dialog_id, String(ann));
    assert.equal(view.user_counter, 2);
    assert.equal(view.role, 'member');
    assert.deepEqual(view.manager_list, []);
    assert.deepEqual(view.restrictions, {
      avatar: false,
      rename: false,
      extend: false,
      call: true,
      mute: true,
      leave: false,
      leave_owner: false,
      send: true,
      user_list: true,
      path: '',
      path_title: '',
    });
    assert.deepEqual(view.readed_list, [{ user_id: ann, user_name: 'Ann Lee', message_id: 0, date: null }]);
    const again = await get({ DIALOG_ID: ann });
    assert.equal(again.body.result.id, view.id);
    // the same chat from Ann's side, and by its chat id
    assert.equal((await get({ DIALOG_ID: '1' }, annHook)).body.result.id, view.id);
    assert.equal((await get({ DIALOG_ID: `chat${view.id}` }, annHook)).body.result.dialog_id, `chat${view.id}`);
  });

  const noDialog = 'You do not have access to the specified dialog';
  const cases: [string, () => Promise<{ status: number; body: any }>, number, string, string][] = [
    ['no DIALOG_ID', () => get({}), 400, 'DIALOG_ID_EMPTY', "Dialog ID can't be empty"],
    ['an empty DIALOG_ID', () => get({ DIALOG_ID: '' }), 400, 'DIALOG_ID_EMPTY', "Dialog ID can't be empty"],
    ['a malformed DIALOG_ID', () => get({ DIALOG_ID: 'chat' }), 400, 'DIALOG_ID_EMPTY', "Dialog ID can't be empty"],
    [
      'DIALOG_ID sg1 (no workgroups here)',
      () => get({ DIALOG_ID: 'sg1' }),
      400,
      'DIALOG_ID_EMPTY',
      "Dialog ID can't be empty",
    ],
    ['DIALOG_ID an object', () => get({ DIALOG_ID: { a: 1 } }), 400, 'DIALOG_ID_EMPTY', "Dialog ID can't be empty"],
    // Dialog::hasAccess fails first for a chat that does not exist (CIMRestService::dialogGet)
    ['an unknown chat', () => get({ DIALOG_ID: 'chat999999' }), 403, 'ACCESS_ERROR', noDialog],
    ['an unknown user', () => get({ DIALOG_ID: '999999' }), 403, 'ACCESS_ERROR', noDialog],
    ['oneself', () => get({ DIALOG_ID: '1' }), 403, 'ACCESS_ERROR', noDialog],
  ];
  for (const [name, call, status, code, description] of cases) {
    it(`${name} → ${status} ${code}`, async () => assertError(await call(), status, code, description));
  }

  it('a closed chat neither the caller nor their bots are in → 403 ACCESS_ERROR', async () => {
    const chatId = (await server.call('imbot.chat.add', { CLIENT_ID: 'dlg' })).body.result;
    assertError(await get({ DIALOG_ID: `chat${chatId}` }, annHook), 403, 'ACCESS_ERROR', noDialog);
    assertError(await get({ DIALOG_ID: `chat${chatId}`, CLIENT_ID: 'else' }), 403, 'ACCESS_ERROR', noDialog);
  });

  it('a deactivated user → 403 ACCESS_ERROR', async () => {
    const gone = (await server.app.domain.users.create({ name: 'Gone', active: false })).id;
    assertError(await get({ DIALOG_ID: String(gone) }), 403, 'ACCESS_ERROR', noDialog);
  });
});
