import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readFixtures } from '../../src/fixtures.ts';
import { type B24Local, startB24Local } from '../../src/testing.ts';
import { testDatabase } from '../helpers/harness.ts';

const FIXTURES = `
users:
  - { name: Pat, last_name: Person, email: pat@example.com }
  - { name: Quinn, email: quinn@example.com }
webhooks:
  - { user_id: 2, token: pat-hook, scopes: [im, imbot, user] }
apps:
  - client_id: app.fixed
    client_secret: app-secret
    tokens: [{ user_id: 2, access_token: fixed-access, refresh_token: fixed-refresh }]
bots:
  - { code: helper, name: Helper, handler: "http://127.0.0.1:9/events" }
chats:
  - { title: Team, owner: 2, members: [3, 4] }
messages:
  - { from: 2, dialogId: chat1, text: Hello team }
  - { from: 4, dialogId: "2", text: Hi Pat }
`;

describe('fixtures: a start state from a file, and reset back to it', () => {
  let dir: string;
  let b24: B24Local;
  const rest = async (base: string, method: string, params: Record<string, unknown> = {}) => {
    const res = await fetch(`${base}${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(params),
    });
    return { status: res.status, body: await res.json() };
  };

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'b24-fixtures-'));
    await writeFile(path.join(dir, 'start.yaml'), FIXTURES);
    const db = await testDatabase();
    await db.close();
    b24 = await startB24Local({ databaseUrl: db.url, fixtures: path.join(dir, 'start.yaml') });
  });
  after(async () => {
    await b24?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('creates people, a webhook with its token, an app with fixed tokens, a bot, a chat and messages', async () => {
    const hook = `${b24.url}/rest/2/pat-hook/`;
    const me = await rest(hook, 'user.current');
    assert.equal(me.body.result.NAME, 'Pat');
    const oauth = await rest(`${b24.url}/rest/`, 'user.current', { auth: 'fixed-access' });
    assert.equal(oauth.body.result.ID, '2');
    const history = await rest(hook, 'im.dialog.messages.get', { DIALOG_ID: 'chat1' });
    assert.deepEqual(
      history.body.result.messages.map((m: { text: string }) => m.text).filter((t: string) => t === 'Hello team'),
      ['Hello team'],
    );
    const fromBot = await rest(hook, 'im.dialog.messages.get', { DIALOG_ID: '4' });
    assert.equal(fromBot.body.result.messages[0].text, 'Hi Pat');
    const bots = await rest(await b24.webhookUrl(1), 'imbot.bot.list');
    assert.equal(Object.values(bots.body.result as Record<string, { CODE: string }>)[0].CODE, 'helper');
  });

  it('reset returns to the fixtures, ids and tokens included', async () => {
    const hook = `${b24.url}/rest/2/pat-hook/`;
    await rest(hook, 'im.message.add', { DIALOG_ID: 'chat1', MESSAGE: 'after the start' });
    await rest(await b24.webhookUrl(1), 'user.add', { NAME: 'Extra', EMAIL: 'x@example.com', UF_DEPARTMENT: [1] });
    await b24.reset();
    const history = await rest(hook, 'im.dialog.messages.get', { DIALOG_ID: 'chat1' });
    assert.ok(!history.body.result.messages.some((m: { text: string }) => m.text === 'after the start'));
    const users = await rest(await b24.webhookUrl(1), 'user.get');
    assert.deepEqual(
      users.body.result.map((u: { ID: string }) => u.ID),
      ['1', '2', '3'],
    );
    const oauth = await rest(`${b24.url}/rest/`, 'user.current', { auth: 'fixed-access' });
    assert.equal(oauth.status, 200);
  });

  it('a bad file is refused before the server starts, naming the problem', async () => {
    await writeFile(path.join(dir, 'bad.json'), JSON.stringify({ people: [] }));
    await assert.rejects(readFixtures(path.join(dir, 'bad.json')), /unknown section people/);
    await writeFile(path.join(dir, 'bad.yaml'), 'users: nobody');
    await assert.rejects(readFixtures(path.join(dir, 'bad.yaml')), /users must be a list of objects/);
  });
});
