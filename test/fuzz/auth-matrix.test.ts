import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { pullFeature } from '../../src/realtime/pull-feature.ts';
import { KNOWN_SCOPES } from '../../src/wire/scopes.ts';
import { oauthApp } from '../helpers/bots.ts';
import { startTestServer, type TestServer } from '../helpers/harness.ts';
import { PNG_1X1 } from '../helpers/images.ts';
import { buildWorld, fingerprint, type World, watchParams } from './world.ts';

// Issue 11, "Make it systematic": the auth matrix, generated from the registry. Every method × every way a call can
// be unauthorised answers the documented error and status, and changes nothing. The cells "bot of another app" and
// "user not in the chat" apply to the methods seen reading a bot or a chat param; for the others they are n/a.
// `AUTH_MATRIX_REPORT=file` writes the counts (RELIABILITY.md).

type Expect = { status: number; codes: readonly (string | number)[]; result?: unknown };

const NO_AUTH: Expect = { status: 401, codes: ['NO_AUTH_FOUND'] };
const NO_SCOPE: Expect = { status: 403, codes: ['insufficient_scope'] };
const EXPIRED: Expect = { status: 401, codes: ['expired_token'] };
const REVOKED: Expect = { status: 403, codes: ['user_access_error'] };
// Each page's own code for another application's bot: v1 APP_ID_ERROR (400, imbot pages), v2 BOT_OWNERSHIP_ERROR
// (403) or, where the bot is not found for this token, BOT_NOT_FOUND; ACCESS_DENIED where the method checks the
// application first (CIMRestService).
const OTHER_APP_BOT: Expect = {
  status: 0,
  codes: ['APP_ID_ERROR', 'BOT_OWNERSHIP_ERROR', 'BOT_NOT_FOUND', 'ACCESS_DENIED', 'BOT_ID_ERROR'],
};
// Each page's code for a dialog the caller is not in.
const NOT_IN_CHAT: Expect = {
  status: 0,
  codes: [
    'ACCESS_ERROR',
    'ACCESS_DENIED',
    'CHAT_NOT_FOUND',
    'MESSAGE_ACCESS_DENIED',
    'DIALOG_ID_EMPTY',
    'CHAT_ID',
    'WRONG_REQUEST', // imbot.chat.leave: "You don't have access or user isn't member in chat"
    'FILE_ACCESS_ERROR',
  ],
};
// Methods whose documented answer to a non-member is a success (docs/decisions.md, Messenger; imbot.chat.user.list
// shares CIMRestService::chatUserList with im.chat.user.list; chatUpdateTitle ignores the rename's refusal).
const NON_MEMBER_ANSWERS: Record<string, Expect> = {
  'im.chat.user.list': { status: 200, codes: [], result: [] },
  'imbot.chat.user.list': { status: 200, codes: [], result: [] },
  'im.dialog.read': { status: 200, codes: [], result: false },
  'imbot.chat.updateTitle': { status: 200, codes: [], result: true },
};

const BOT_PARAMS = ['BOT_ID', 'botId'];
const CHAT_PARAMS = ['DIALOG_ID', 'CHAT_ID', 'chatId', 'dialogId'];

describe('auth matrix: every method × every unauthorised caller', () => {
  let server: TestServer;
  let world: World;
  let seen: Map<string, Set<string>>;
  const hooks: Record<string, string> = {};

  before(async () => {
    server = await startTestServer({ features: [pullFeature({ longPollTimeoutMs: 300 })] });
    world = await buildWorld(server);
    seen = watchParams(server.app.services.registry.all());
    for (const method of server.app.services.registry.all()) await server.call(method.name, {});
    const { identities } = server.app.domain;
    const deleted = await identities.createWebhook(1, [], 'deletedhook');
    await identities.deleteWebhook(deleted.id);
    hooks.deleted = `${server.url}/rest/1/${deleted.token}/`;
  });
  after(() => server.close());

  const post = async (url: string, params: Record<string, unknown>) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(params),
    });
    return { status: res.status, body: (await res.json()) as { error?: string | number } };
  };

  it('answers the documented error and status in every cell, and changes nothing', async () => {
    const { identities } = server.app.domain;
    const expired = await oauthApp(server, 'fz.expired');
    await server.db.query(
      "UPDATE oauth_tokens SET access_expires_at = now() - interval '1 hour' WHERE access_token = $1",
      [expired.token],
    );
    // An application that was uninstalled (made as a row, so no cache holds it installed).
    const uninstalled = await server.db.one(
      `INSERT INTO apps (client_id, client_secret, application_token, installed)
       VALUES ('fz.revoked', 'secret', 'apptoken', false) RETURNING *`,
    );
    const grant = await identities.issueTokens(uninstalled as never, 1);
    const revoked = { token: grant.access_token, base: `${server.url}/rest/` };
    // One webhook per scope set, made before any cell is measured.
    const scoped = new Map<string, string>();
    for (const method of server.app.services.registry.all()) {
      const scopes = typeof method.scope === 'string' ? [method.scope] : method.scope;
      const others = KNOWN_SCOPES.filter((s) => !scopes.includes(s) && s !== 'basic');
      const key = others.join(',');
      if (!scoped.has(key)) scoped.set(key, (await identities.createWebhook(1, others, `noscope${scoped.size}`)).token);
    }
    const failing: string[] = [];
    let checked = 0;
    let notApplicable = 0;
    for (const method of server.app.services.registry.all()) {
      const name = method.name;
      const scopes = typeof method.scope === 'string' ? [method.scope] : method.scope;
      const reads = seen.get(name) ?? new Set<string>();
      const cells: [string, () => Promise<{ status: number; body: { error?: string | number } }>, Expect | null][] = [
        ['no auth', () => post(`${server.url}/rest/${name}`, {}), NO_AUTH],
        ['unknown webhook', () => post(`${server.url}/rest/1/nosuchhook/${name}`, {}), NO_AUTH],
        ['deleted webhook', () => post(`${hooks.deleted}${name}`, {}), NO_AUTH],
        [
          'webhook without the scope',
          () => {
            const others = KNOWN_SCOPES.filter((s) => !scopes.includes(s) && s !== 'basic');
            return post(`${server.url}/rest/1/${scoped.get(others.join(','))}/${name}`, {});
          },
          scopes.includes('basic') ? null : NO_SCOPE,
        ],
        ['expired token', () => post(`${expired.base}${name}`, { auth: expired.token }), EXPIRED],
        ['revoked app', () => post(`${revoked.base}${name}`, { auth: revoked.token }), REVOKED],
        [
          'bot of another app',
          () =>
            post(`${server.webhook}${name}`, {
              BOT_ID: world.foreignBotId,
              botId: world.foreignBotId,
              botToken: world.v2Token,
              CLIENT_ID: world.clientId,
              DIALOG_ID: `chat${world.chatId}`,
              CHAT_ID: world.chatId,
              chatId: world.chatId,
              dialogId: `chat${world.chatId}`,
              MESSAGE: 'x',
              // The other params these methods require, so the bot is what they refuse.
              USER_ID: 1,
              COLOR: 'RED',
              TITLE: 'x',
            }),
          BOT_PARAMS.some((p) => reads.has(p)) ? OTHER_APP_BOT : null,
        ],
        [
          'user not in the chat',
          () =>
            post(`${server.webhook}${name}`, {
              DIALOG_ID: `chat${world.foreignChatId}`,
              CHAT_ID: world.foreignChatId,
              chatId: world.foreignChatId,
              dialogId: `chat${world.foreignChatId}`,
              BOT_ID: world.botId,
              botId: world.v2BotId,
              botToken: world.v2Token,
              CLIENT_ID: world.clientId,
              MESSAGE: 'x',
              TITLE: 'x',
              USERS: [1],
              USER_ID: 1,
              COLOR: 'RED',
              AVATAR: PNG_1X1,
              fileId: 1,
              fields: { name: 'a.txt', content: 'YQ==' },
            }),
          CHAT_PARAMS.some((p) => reads.has(p)) && name !== 'batch' ? (NON_MEMBER_ANSWERS[name] ?? NOT_IN_CHAT) : null,
        ],
      ];
      for (const [cell, call, expect] of cells) {
        if (!expect) {
          notApplicable++;
          continue;
        }
        checked++;
        const before = await fingerprint(server);
        const res = await call();
        const codeOk =
          'result' in expect
            ? JSON.stringify((res.body as { result?: unknown }).result) === JSON.stringify(expect.result)
            : expect.codes.includes(res.body.error as string);
        const statusOk = expect.status ? res.status === expect.status : res.status >= 400 && res.status < 500;
        if (!codeOk || !statusOk) failing.push(`${name} × ${cell}: ${res.status} ${JSON.stringify(res.body)}`);
        else if ((await fingerprint(server)) !== before) failing.push(`${name} × ${cell}: refused but changed data`);
      }
    }
    if (process.env.AUTH_MATRIX_REPORT) {
      const { writeFileSync } = await import('node:fs');
      const report = { checked, notApplicable, failing };
      writeFileSync(process.env.AUTH_MATRIX_REPORT, `${JSON.stringify(report, null, 2)}\n`);
    }
    assert.deepEqual(failing, []);
    assert.ok(checked > 6 * server.app.services.registry.all().length);
  });
});
