import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { oauthApp, registerBot } from '../helpers/bots.ts';
import { startTestServer, type TestServer } from '../helpers/harness.ts';

describe('imbot.chat.get', () => {
  let server: TestServer;
  let closedId: number;
  let openId: number;
  let memberChatId: number;
  let strangerHook: string;

  before(async () => {
    server = await startTestServer();
    await registerBot(server, 'getter', 'getter-bot');
    const stranger = await server.app.domain.users.create({ name: 'Stranger' });
    const hook = await server.app.domain.identities.createWebhook(stranger.id, [], 'strangertoken');
    strangerHook = `${server.url}/rest/${stranger.id}/${hook.token}/`;
    const add = async (params: Record<string, unknown>) =>
      (await server.call('imbot.chat.add', { CLIENT_ID: 'getter', ...params })).body.result as number;
    closedId = await add({ ENTITY_TYPE: 'CRM', ENTITY_ID: 'DEAL|1' });
    openId = await add({ TYPE: 'OPEN', ENTITY_TYPE: 'CRM', ENTITY_ID: 'DEAL|2' });
    memberChatId = await add({ USERS: [stranger.id], ENTITY_TYPE: 'CRM', ENTITY_ID: 'DEAL|3' });
  });
  after(() => server.close());

  const get = (params: Record<string, unknown>, base?: string) => server.call('imbot.chat.get', params, base);

  it('finds the chat by its binding for the bot’s application: {ID} as a number', async () => {
    const res = await get({ ENTITY_TYPE: 'CRM', ENTITY_ID: 'DEAL|1', CLIENT_ID: 'getter' });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.result, { ID: closedId });
  });

  it('finds it for a user who is a member', async () => {
    const res = await get({ ENTITY_TYPE: 'CRM', ENTITY_ID: 'DEAL|3' }, strangerHook);
    assert.deepEqual(res.body.result, { ID: memberChatId });
  });

  it('an open chat is readable by anyone', async () => {
    const res = await get({ ENTITY_TYPE: 'CRM', ENTITY_ID: 'DEAL|2' }, strangerHook);
    assert.deepEqual(res.body.result, { ID: openId });
  });

  it('ENTITY_ID given as a number matches its string', async () => {
    const id = (await server.call('imbot.chat.add', { CLIENT_ID: 'getter', ENTITY_TYPE: 'TASK', ENTITY_ID: '42' })).body
      .result;
    const res = await get({ ENTITY_TYPE: 'TASK', ENTITY_ID: 42, CLIENT_ID: 'getter' });
    assert.deepEqual(res.body.result, { ID: id });
  });

  for (const [name, params] of [
    ['no params', {}],
    ['no ENTITY_ID', { ENTITY_TYPE: 'CRM' }],
    ['no ENTITY_TYPE', { ENTITY_ID: 'DEAL|1' }],
    ['empty values', { ENTITY_TYPE: '', ENTITY_ID: '' }],
    ['no such binding', { ENTITY_TYPE: 'CRM', ENTITY_ID: 'DEAL|404' }],
  ] as const) {
    it(`${name} → null`, async () => {
      const res = await get({ ...params, CLIENT_ID: 'getter' });
      assert.equal(res.status, 200);
      assert.equal(res.body.result, null);
    });
  }

  it('a closed chat the caller and their bots are not in: its id all the same (chatGet checks no access)', async () => {
    const stranger = await get({ ENTITY_TYPE: 'CRM', ENTITY_ID: 'DEAL|1' }, strangerHook);
    assert.equal(stranger.status, 200);
    assert.equal(typeof stranger.body.result.ID, 'number');
    const other = await get({ ENTITY_TYPE: 'CRM', ENTITY_ID: 'DEAL|1', CLIENT_ID: 'someone' });
    assert.deepEqual(other.body.result, stranger.body.result);
  });

  it('OAuth: the token application’s bots give access', async () => {
    const { token, base } = await oauthApp(server, 'local.app.get');
    await server.call(
      'imbot.register',
      { CODE: 'oauth-getter', EVENT_HANDLER: 'https://example.com/h', PROPERTIES: { NAME: 'O' }, auth: token },
      base,
    );
    const made = await server.call('imbot.chat.add', { ENTITY_TYPE: 'APP', ENTITY_ID: 'x', auth: token }, base);
    const res = await server.call('imbot.chat.get', { ENTITY_TYPE: 'APP', ENTITY_ID: 'x', auth: token }, base);
    assert.deepEqual(res.body.result, { ID: made.body.result });
  });
});
