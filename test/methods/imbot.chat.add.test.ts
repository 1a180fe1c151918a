import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertError, registerBot } from '../helpers/bots.ts';
import { startTestServer, type TestServer } from '../helpers/harness.ts';
import { gif, png } from '../helpers/images.ts';

const sorted = (ids: number[]) => [...ids].sort((a, b) => a - b);

describe('imbot.chat.add', () => {
  let server: TestServer;
  let botId: number;
  let ann: number;
  let gone: number;
  const add = (params: Record<string, unknown>) => server.call('imbot.chat.add', { CLIENT_ID: 'adder', ...params });

  before(async () => {
    server = await startTestServer();
    botId = await registerBot(server, 'adder', 'adder-bot');
    await registerBot(server, 'other', 'other-bot');
    ann = (await server.app.domain.users.create({ name: 'Ann' })).id;
    gone = (await server.app.domain.users.create({ name: 'Gone', active: false })).id;
  });
  after(() => server.close());

  it('creates a closed chat owned by the bot and answers its id as a number', async () => {
    const res = await add({
      TITLE: '  Support  ',
      DESCRIPTION: 'Questions',
      COLOR: 'mint',
      USERS: [ann, 1],
      ENTITY_TYPE: 'CRM',
      ENTITY_ID: 'DEAL|7',
    });
    assert.equal(res.status, 200);
    assert.equal(typeof res.body.result, 'number');
    const chat = await server.app.domain.chats.get(res.body.result);
    assert.equal(chat?.type, 'C');
    assert.equal(chat?.title, 'Support');
    assert.equal(chat?.description, 'Questions');
    assert.equal(chat?.color, 'MINT');
    assert.equal(chat?.owner_id, botId);
    assert.equal(chat?.entity_type, 'CRM');
    assert.equal(chat?.entity_id, 'DEAL|7');
    assert.deepEqual(sorted(await server.app.domain.chats.members(res.body.result)), sorted([1, ann, botId]));
  });

  it('TYPE=OPEN is an open chat; without USERS the bot is alone', async () => {
    const res = await add({ TYPE: 'OPEN' });
    const chat = await server.app.domain.chats.get(res.body.result);
    assert.equal(chat?.type, 'O');
    assert.deepEqual(await server.app.domain.chats.members(chat!.id), [botId]);
  });

  it('leaves out unknown and deactivated users', async () => {
    const res = await add({ USERS: [ann, 999999, gone] });
    assert.equal(res.status, 200);
    const members = await server.app.domain.chats.members(res.body.result);
    assert.deepEqual(sorted(members), sorted([ann, botId]));
  });

  it('takes USERS as a form list (USERS[]=…)', async () => {
    const body = new URLSearchParams([
      ['CLIENT_ID', 'adder'],
      ['USERS[]', String(ann)],
      ['USERS[]', '1'],
    ]);
    const res = await fetch(`${server.webhook}imbot.chat.add`, { method: 'POST', body });
    const json = (await res.json()) as { result: number };
    assert.equal((await server.app.domain.chats.members(json.result)).length, 3);
  });

  it('stores a Base64 AVATAR', async () => {
    const res = await add({ AVATAR: gif(64, 64).toString('base64') });
    assert.match((await server.app.domain.chats.get(res.body.result))?.avatar ?? '', /^\/upload\/avatar\/.+\.gif$/);
  });

  it('imbot.chat.add dropping an unreadable or too-large AVATAR: the chat is made without one', async () => {
    for (const avatar of ['aGVsbG8gd29ybGQ=', png(10, 5001).toString('base64'), '%%%']) {
      const res = await add({ AVATAR: avatar, TITLE: 'Dropped avatar' });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const chat = await server.app.domain.chats.get(res.body.result);
      assert.equal(chat?.title, 'Dropped avatar');
      assert.equal(chat?.avatar, '');
    }
  });

  const cases: [string, Record<string, unknown>, number, string, string][] = [
    // CIMRestService::chatCreate: an entry that is neither an integer nor a string
    ['USERS with a list in it', { USERS: [1, [2]] }, 400, 'INVALID_FORMAT', 'Parameter USERS has wrong type'],
    ['USERS with a fraction', { USERS: [1.5] }, 400, 'INVALID_FORMAT', 'Parameter USERS has wrong type'],
    ['an unknown BOT_ID', { BOT_ID: 99999 }, 400, 'BOT_ID_ERROR', 'Bot not found'],
    ['an application without bots', { CLIENT_ID: 'nobody' }, 400, 'BOT_ID_ERROR', 'Bot not found'],
    [
      'no CLIENT_ID over a webhook',
      { CLIENT_ID: undefined },
      403,
      'ACCESS_DENIED',
      'Access denied! Client ID not specified',
    ],
    // USERS is read before the bot
    [
      'an unknown BOT_ID and bad USERS',
      { BOT_ID: 99999, USERS: [true] },
      400,
      'INVALID_FORMAT',
      'Parameter USERS has wrong type',
    ],
  ];
  for (const [name, params, status, code, description] of cases) {
    it(`${name} → ${status} ${code}, no chat`, async () => {
      const before = await server.db.one<{ n: number }>('SELECT count(*)::int AS n FROM chats');
      assertError(await add(params), status, code, description);
      const after = await server.db.one<{ n: number }>('SELECT count(*)::int AS n FROM chats');
      assert.equal(after?.n, before?.n);
    });
  }

  it('another application’s bot → APP_ID_ERROR', async () => {
    const res = await add({ BOT_ID: botId, CLIENT_ID: 'other' });
    assertError(res, 400, 'APP_ID_ERROR', 'Bot was installed by another rest application');
  });
});
