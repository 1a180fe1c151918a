import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import qs from 'qs';
import { hashPassword } from '../../src/domain/users.ts';
import { features } from '../../src/features.ts';
import { startTestServer, type TestServer } from '../helpers/harness.ts';
import { DESKTOP, launchBrowser, PHONE, screenshot, signIn } from './browser.ts';

/** The server's typing lifetime here: short, so the client-side timeout can be seen without a long wait. */
const TYPING_TTL_SEC = 3;
const CLIENT_ID = 'echo-app';
const AGENT_TOKEN = 'agent-token';

/** A bot's handler URL: a tiny HTTP server that hands each event (form-encoded, as Bitrix24 posts them) to the test. */
class BotHandler {
  private readonly server: Server;
  private readonly waiting: { event: string; resolve: (data: any) => void }[] = [];
  /** Events nobody waited for yet. */
  private readonly events: any[] = [];

  constructor() {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => {
        body += chunk;
      });
      req.on('end', () => {
        const event = qs.parse(body, { depth: 10 }) as any;
        const index = this.waiting.findIndex((w) => w.event === event.event);
        if (index >= 0) this.waiting.splice(index, 1)[0].resolve(event);
        else this.events.push(event);
        res.end('ok');
      });
    });
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/events`;
  }

  next(event: string, timeoutMs = 10000): Promise<any> {
    const seen = this.events.findIndex((e) => e.event === event);
    if (seen >= 0) return Promise.resolve(this.events.splice(seen, 1)[0]);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${event} within ${timeoutMs} ms`)), timeoutMs);
      this.waiting.push({
        event,
        resolve: (data) => {
          clearTimeout(timer);
          resolve(data);
        },
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/**
 * Resolves with `Date.now()` in the page when an element matching `selector` with `text` first appears. The
 * script is a string: functions compiled by tsx carry helpers the page does not have.
 */
function watchFor(page: Page, selector: string, text: string): Promise<number> {
  return page.evaluate(`new Promise((resolve) => {
    const found = () => [...document.querySelectorAll(${JSON.stringify(selector)})]
      .some((el) => el.textContent.includes(${JSON.stringify(text)}));
    if (found()) return resolve(Date.now());
    const observer = new MutationObserver(() => {
      if (!found()) return;
      observer.disconnect();
      resolve(Date.now());
    });
    observer.observe(document.body, { childList: true, subtree: true, characterData: true });
  })`);
}

describe('web messenger in a browser', () => {
  let server: TestServer;
  let browser: Browser;
  let handler: BotHandler;
  let botId: number;
  let ann: number;
  let bob: number;
  let chatId: number;
  const contexts: BrowserContext[] = [];

  const bot = async (method: string, params: Record<string, unknown>) => {
    const res = await server.call(method, { BOT_ID: botId, CLIENT_ID, ...params });
    assert.equal(res.status, 200, `${method}: ${JSON.stringify(res.body)}`);
    return res.body.result;
  };
  const person = async (viewport = DESKTOP) => {
    const context = await browser.newContext({ viewport });
    contexts.push(context);
    return context.newPage();
  };

  before(async () => {
    handler = new BotHandler();
    const [started, launched, handlerUrl] = await Promise.all([
      startTestServer({
        features: features({ adminToken: 'admin-token' }),
        config: { typingTtlSec: TYPING_TTL_SEC },
      }),
      launchBrowser(),
      handler.listen(),
    ]);
    server = started;
    browser = launched;
    const users = server.app.domain.users;
    ann = (await users.create({ name: 'Ann', last_name: 'Lee', login: 'ann', password_hash: hashPassword('ann-pw') }))
      .id;
    bob = (await users.create({ name: 'Bob', last_name: 'Stone', login: 'bob', password_hash: hashPassword('bob-pw') }))
      .id;
    const registered = await server.call('imbot.register', {
      CODE: 'echo',
      CLIENT_ID,
      EVENT_HANDLER: handlerUrl,
      PROPERTIES: { NAME: 'Echo Bot', COLOR: 'AQUA' },
    });
    assert.equal(registered.status, 200, JSON.stringify(registered.body));
    botId = registered.body.result;
    await bot('imbot.command.register', {
      COMMAND: 'status',
      EVENT_COMMAND_ADD: handlerUrl,
      LANG: [{ LANGUAGE_ID: 'en', TITLE: 'Release status', PARAMS: 'scope' }],
    });
    chatId = await bot('imbot.chat.add', { TITLE: 'Release crew', USERS: [ann, bob] });
    await bot('imbot.message.add', { DIALOG_ID: `chat${chatId}`, MESSAGE: 'Welcome to the release crew!' });
  });
  after(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await server?.close();
    await handler?.close();
  });

  it('a person writes to a bot, sees it typing, then its reply, and the line goes', async (t) => {
    const page = await person();
    await page.goto(`${server.url}/`);
    await signIn(page, 'ann', 'ann-pw');
    await page.getByRole('button', { name: '+ New chat' }).click();
    await page.getByLabel('Find a person or bot').fill('echo');
    await page.getByRole('button', { name: /Echo Bot/ }).waitFor();
    await page.getByLabel('Find a person or bot').press('Enter');
    await page.getByRole('heading', { name: 'Echo Bot', level: 2 }).waitFor();

    await page.getByRole('textbox', { name: 'Message' }).fill('hello bot');
    await page.getByRole('textbox', { name: 'Message' }).press('Enter');
    const event = await handler.next('ONIMBOTMESSAGEADD');
    assert.equal(event.data.PARAMS.MESSAGE, 'hello bot');
    const dialogId = event.data.PARAMS.DIALOG_ID;
    assert.equal(dialogId, String(ann));

    const shown = watchFor(page, '.typing .typer', 'Echo Bot is typing');
    await bot('imbot.chat.sendTyping', { DIALOG_ID: dialogId });
    const returned = Date.now();
    const latency = (await shown) - returned;
    t.diagnostic(`"typing…" on screen ${latency} ms after imbot.chat.sendTyping returned`);
    await screenshot(page, 'chat-typing');

    await bot('imbot.message.add', {
      DIALOG_ID: dialogId,
      MESSAGE:
        `[b]Hello, [USER=${ann}]Ann[/USER]![/b] Try /help or [url=https://example.com]the docs[/url] ` +
        '([url=javascript:alert(1)]not a link[/url]).[br]<img src=x onerror="window.__xss=1">[br]' +
        '[code]if (a < b) { [b]x[/b] }[/code]',
      KEYBOARD: [
        { TEXT: 'Status', COMMAND: 'status', COMMAND_PARAMS: 'all', BG_COLOR: '#29619b', TEXT_COLOR: '#fff' },
        { TEXT: 'Say thanks', ACTION: 'SEND', ACTION_VALUE: 'Thanks!' },
      ],
    });
    const reply = page.locator('.message.from-bot').last();
    await reply.getByText('Hello, Ann!').waitFor();
    assert.equal(await page.locator('.typing .typer').count(), 0, 'the reply ends the typing line');
    assert.equal(await reply.locator('strong').first().textContent(), 'Hello, Ann!');
    assert.equal(await reply.getByRole('button', { name: 'Ann', exact: true }).count(), 1, '[USER=…] mention');
    assert.equal(await reply.getByRole('link', { name: 'the docs' }).getAttribute('href'), 'https://example.com');
    assert.equal(await reply.getByRole('link', { name: 'not a link' }).count(), 0, 'javascript: is no link');
    assert.equal(await reply.locator('code.code-block').textContent(), 'if (a < b) { [b]x[/b] }');
    assert.ok(await reply.getByText('<img src=x onerror="window.__xss=1">').isVisible(), 'markup stays text');
    assert.equal(await page.evaluate(() => (window as any).__xss), undefined);
    await screenshot(page, 'chat-desktop');

    await reply.getByRole('button', { name: 'Status' }).click();
    const command = await handler.next('ONIMCOMMANDADD');
    const invoked: any = Object.values(command.data.COMMAND)[0];
    assert.deepEqual([invoked.COMMAND, invoked.COMMAND_PARAMS], ['status', 'all']);
    assert.equal(invoked.COMMAND_CONTEXT, 'KEYBOARD', 'pressed, not typed');
    await reply.getByRole('button', { name: '/help' }).click();
    assert.equal((await handler.next('ONIMBOTMESSAGEADD')).data.PARAMS.MESSAGE, '/help');
  });

  it('another member sees a person typing in a group chat, and a bot v2 status text', async () => {
    const annPage = await person();
    await annPage.goto(`${server.url}/#chat${chatId}`);
    await signIn(annPage, 'ann', 'ann-pw');
    const bobPage = await person();
    await bobPage.goto(`${server.url}/`);
    await bobPage.getByRole('button', { name: /Bob Stone/ }).click();
    await bobPage.locator(`a.dialog[data-dialog-id="chat${chatId}"]`).click();
    await bobPage.getByRole('heading', { name: 'Release crew', level: 2 }).waitFor();
    await annPage.getByRole('heading', { name: 'Release crew', level: 2 }).waitFor();

    const seen = watchFor(bobPage, '.typing .typer', 'Ann Lee is typing');
    await annPage.getByRole('textbox', { name: 'Message' }).pressSequentially('shipping it', { delay: 20 });
    await seen;
    await annPage.getByRole('textbox', { name: 'Message' }).press('Enter');
    await bobPage.locator('.message').getByText('shipping it').waitFor();
    await bobPage.locator('.typing .typer').waitFor({ state: 'detached' });

    // A v2 agent in the chat announces what it is doing: the status text replaces "is typing…".
    const agent = await server.call('imbot.v2.Bot.register', {
      fields: { code: 'researcher', botToken: AGENT_TOKEN, properties: { name: 'Research Agent' } },
    });
    assert.equal(agent.status, 200, JSON.stringify(agent.body));
    const agentId = agent.body.result.bot.id;
    await bot('imbot.chat.user.add', { CHAT_ID: chatId, USERS: [agentId] });
    const notified = await server.call('imbot.v2.Chat.InputAction.notify', {
      botId: agentId,
      botToken: AGENT_TOKEN,
      dialogId: `chat${chatId}`,
      statusMessageCode: 'IMBOT_AGENT_ACTION_SEARCHING',
    });
    assert.equal(notified.status, 200, JSON.stringify(notified.body));
    const status = bobPage.locator('.typing .typer').filter({ hasText: 'Research Agent' });
    await status.locator('.status').getByText('Agent is searching for information').waitFor();
    await screenshot(bobPage, 'chat-group-status');
  });

  it('a typing line the server never stops goes after the typing lifetime', async () => {
    const page = await person();
    // The page's timers on Playwright's clock: the lifetime is stepped through, not waited for.
    await page.clock.install();
    await page.goto(`${server.url}/#${botId}`);
    await signIn(page, 'ann', 'ann-pw');
    await page.getByRole('heading', { name: 'Echo Bot', level: 2 }).waitFor();
    await page.clock.pauseAt((await page.evaluate(() => Date.now())) + 1000);
    // A startWriting with no server-side state behind it: no stopWriting will ever follow.
    server.app.services.hub.publish(
      { users: [ann] },
      {
        module_id: 'im',
        command: 'startWriting',
        params: { dialogId: String(botId), userId: botId, userName: 'Echo Bot' },
      },
    );
    const line = page.locator('.typing .typer');
    await line.waitFor();
    await page.clock.runFor((TYPING_TTL_SEC - 1) * 1000);
    assert.equal(await line.count(), 1, 'gone before the typing lifetime');
    await page.clock.runFor(2000);
    await line.waitFor({ state: 'detached' });
  });

  it('on a phone: the list with unread counters, history paging, keyboard navigation', async () => {
    // 30 messages Bob has read, then 3 new ones: the first page is 20 plus the unread (im.dialog.messages.get).
    const web = (await server.app.domain.identities.appByClientId('b24-local.web'))!;
    const bobToken = (await server.app.domain.identities.issueTokens(web, bob)).access_token;
    for (let i = 1; i <= 30; i++) await bot('imbot.message.add', { DIALOG_ID: String(bob), MESSAGE: `Update ${i}` });
    const read = await server.call(
      'im.dialog.read',
      { DIALOG_ID: String(botId), auth: bobToken },
      `${server.url}/rest/`,
    );
    assert.equal(read.status, 200, JSON.stringify(read.body));
    for (let i = 31; i <= 33; i++) await bot('imbot.message.add', { DIALOG_ID: String(bob), MESSAGE: `Update ${i}` });
    const page = await person(PHONE);
    const pages: unknown[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/rest/im.dialog.messages.get')) pages.push(JSON.parse(request.postData() ?? '{}'));
    });
    await page.goto(`${server.url}/`);
    await signIn(page, 'bob', 'bob-pw');
    const row = page.locator(`a.dialog[data-dialog-id="${botId}"]`);
    await row.locator('.counter').getByText('3').waitFor();
    await screenshot(page, 'phone-list');

    // Arrow keys move through the list; Enter opens the dialog.
    await page.locator('a.dialog[tabindex="0"]').focus();
    const order = await page
      .locator('a.dialog')
      .evaluateAll((links) => links.map((l) => l.getAttribute('data-dialog-id')));
    for (let i = 0; i < order.indexOf(String(botId)); i++) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Echo Bot', level: 2 }).waitFor();
    assert.equal(await page.locator('.sidebar').isVisible(), false, 'one pane at a time');
    await page.locator('.message').getByText('Update 33').waitFor();
    assert.equal(await page.locator('.message').count(), 23);
    await page.getByRole('button', { name: 'Load earlier messages' }).click();
    await page.locator('.message .text').getByText('Update 1', { exact: true }).waitFor();
    assert.equal(await page.locator('.message').count(), 33);
    const oldestOfFirstPage = await page
      .locator('.message')
      .filter({ has: page.locator('.text', { hasText: /^Update 11$/ }) })
      .getAttribute('data-message-id');
    assert.deepEqual(
      pages.map((p: any) => p.LAST_ID),
      [undefined, Number(oldestOfFirstPage)],
    );
    await screenshot(page, 'phone-chat');

    await page.getByRole('textbox', { name: 'Message' }).press('Escape');
    await row.waitFor();
    assert.equal(await row.locator('.counter').count(), 0, 'read');
  });
});
