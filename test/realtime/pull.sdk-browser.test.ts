import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { Feature } from '../../src/app.ts';
import { pullFeature } from '../../src/realtime/pull-feature.ts';
import { launchBrowser } from '../e2e/browser.ts';
import { startTestServer, type TestServer } from '../helpers/harness.ts';

const sdkDir = path.dirname(createRequire(import.meta.url).resolve('@bitrix24/b24jssdk/package.json'));

// A bare page with the SDK's browser build: B24OAuth (the documented client for an OAuth token outside a portal
// frame) feeds B24PullClientManager, which fetches `pull.application.config.get` and connects.
const PAGE = `<!doctype html><meta charset="utf-8"><title>pull</title>
<script src="/test/b24jssdk.js"></script>
<script>
  window.received = [];
  window.startPull = async (grant, clientId, blockWebSocket) => {
    const { B24OAuth, B24PullClientManager } = window.B24Js;
    // The SDK's own "WebSocket is blocked here" flag makes it fall back to long polling.
    const blocked = '@bitrix24/b24jssdk-pull-' + grant.user_id + '-' + clientId + '-bx-pull-websocket-blocked';
    if (blockWebSocket) localStorage.setItem(blocked, String(Date.now() + 3600000));
    const b24 = new B24OAuth({
      applicationToken: grant.application_token,
      userId: grant.user_id,
      memberId: grant.member_id,
      accessToken: grant.access_token,
      refreshToken: grant.refresh_token,
      expires: grant.expires,
      expiresIn: grant.expires_in,
      scope: grant.scope,
      domain: grant.domain,
      clientEndpoint: grant.client_endpoint,
      serverEndpoint: grant.server_endpoint,
      status: grant.status,
    }, { clientId, clientSecret: 'unused' });
    b24.offClientSideWarning();
    const pull = new B24PullClientManager({ b24, restApplication: clientId, userId: grant.user_id });
    pull.subscribe({ moduleId: 'im', callback: (data) => window.received.push(data) });
    await pull.start();
    window.pull = pull;
    const info = pull.getDebugInfo();
    return { mode: info['WebSocket mode'], webSocket: info['WebSocket connected'], connected: info.Connect };
  };
</script>`;

describe('the official b24jssdk pull client, in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let userId: number;
  let botId: number;
  let chatId: number;
  let foreignChatId: number;
  let grant: Awaited<ReturnType<TestServer['app']['domain']['identities']['issueTokens']>>;

  const typing = (dialogId: string) =>
    server.call('imbot.chat.sendTyping', { BOT_ID: botId, DIALOG_ID: dialogId, CLIENT_ID: 'sdkbot' });

  before(async () => {
    const sdk = await readFile(path.join(sdkDir, 'dist/umd/index.min.js'), 'utf8');
    const testPage: Feature = (app) => {
      app.fastify.get('/test/b24jssdk.js', (_req, reply) => reply.type('application/javascript').send(sdk));
      app.fastify.get('/test/pull.html', (_req, reply) => reply.type('text/html; charset=utf-8').send(PAGE));
    };
    server = await startTestServer({ features: [pullFeature({ longPollTimeoutMs: 1000 }), testPage] });
    const { users, identities } = server.app.domain;
    userId = (await users.create({ name: 'Sam', last_name: 'Browser' })).id;
    const outsider = (await users.create({ name: 'Olga', last_name: 'Outsider' })).id;
    botId = (
      await server.call('imbot.register', {
        CODE: 'sdk_typer',
        EVENT_HANDLER: 'http://127.0.0.1:9/h',
        PROPERTIES: { NAME: 'Sdk', LAST_NAME: 'Bot' },
        CLIENT_ID: 'sdkbot',
      })
    ).body.result;
    chatId = (await server.call('imbot.chat.add', { BOT_ID: botId, USERS: [userId], CLIENT_ID: 'sdkbot' })).body.result;
    foreignChatId = (await server.call('imbot.chat.add', { BOT_ID: botId, USERS: [outsider], CLIENT_ID: 'sdkbot' }))
      .body.result;

    const app = await identities.createApp({ clientId: 'local.sdkpage', title: 'SDK page' });
    grant = await identities.issueTokens(app, userId);
    browser = await launchBrowser();
    page = await browser.newPage();
    await page.goto(`${server.url}/test/pull.html`);
    const state = await page.evaluate(([g, c]) => (window as any).startPull(g, c, false), [
      grant,
      app.client_id,
    ] as const);
    assert.deepEqual(state, { mode: 'json-rpc', webSocket: 'Y', connected: 'Y' }, 'the SDK took the v5 path');
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('delivers the bot’s startWriting for the user’s dialog, and nothing for others', async () => {
    await typing(`chat${foreignChatId}`);
    await typing(`chat${chatId}`);
    await typing(String(userId));
    await page.waitForFunction(() => (window as any).received.length >= 2, null, { timeout: 5000 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const received = await page.evaluate(() => (window as any).received);
    assert.deepEqual(
      received.map((m: any) => [m.command, m.params]),
      [
        ['startWriting', { dialogId: `chat${chatId}`, userId: botId, userName: 'Sdk Bot' }],
        ['startWriting', { dialogId: String(botId), userId: botId, userName: 'Sdk Bot' }],
      ],
    );
    assert.equal(received[0].extra.revision_web, 19);
    assert.deepEqual(received[0].extra.sender, { type: 2 });
  });

  it('the SDK acknowledged what it received (`mack:`)', async () => {
    const config = await page.evaluate(() => (window as any).pull.getConfig());
    const pull = server.app.services.extensions.pullServer!;
    const lastMid = await page.evaluate(() => (window as any).pull.session.mid);
    assert.equal(pull.history.acked(config.channels.private.id), lastMid);
  });

  it('falls back to long polling (JSON-RPC batches, acknowledgements to /pub/) and still gets only its dialogs', async () => {
    const context = await browser.newContext(); // its own localStorage
    const polling = await context.newPage();
    try {
      await polling.goto(`${server.url}/test/pull.html`);
      const state = await polling.evaluate(([g, c]) => (window as any).startPull(g, c, true), [
        grant,
        'local.sdkpage',
      ] as const);
      assert.deepEqual(state, { mode: '-', webSocket: 'N', connected: 'Y' });
      await typing(`chat${foreignChatId}`);
      await typing(`chat${chatId}`);
      await polling.waitForFunction(() => (window as any).received.length >= 1, null, { timeout: 5000 });
      await typing(String(userId));
      await polling.waitForFunction(() => (window as any).received.length >= 2, null, { timeout: 5000 });
      const received = await polling.evaluate(() => (window as any).received);
      assert.deepEqual(
        received.map((m: any) => m.params.dialogId),
        [`chat${chatId}`, String(botId)],
      );
      const pull = server.app.services.extensions.pullServer!;
      const [own, mid] = await polling.evaluate(() => [
        (window as any).pull.getConfig().channels.private.id,
        (window as any).pull.session.mid,
      ]);
      for (let i = 0; i < 50 && pull.history.acked(own) !== mid; i++) await new Promise((r) => setTimeout(r, 20));
      assert.equal(pull.history.acked(own), mid);
    } finally {
      await context.close();
    }
  });
});
