import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { hashPassword } from '../../src/domain/users.ts';
import { features } from '../../src/features.ts';
import { startTestServer, type TestServer } from '../helpers/harness.ts';
import { registerBot } from '../helpers/messenger.ts';
import { DESKTOP, launchBrowser, lowContrast, PHONE_390, screenshot } from './browser.ts';

// The messenger as a person meets it, in both languages on a desktop and a phone: a group chat with its system
// notices worded in the reader's language, a bot's message with an attachment and a keyboard; nothing wider than
// the screen, no text under 4.5:1, one colour per avatar wherever it is drawn, no console errors.

const CLIENT_ID = 'tour-app';
const LOCALES = { en: 'en-US', ru: 'ru-RU' } as const;
const NETWORK = JSON.parse(readFileSync(new URL('../../web/src/i18n/en.json', import.meta.url), 'utf8')).errors.network;
const WORDS = {
  en: { login: 'Login', password: 'Password', signIn: 'Sign in', members: '4 members' },
  ru: { login: 'Логин', password: 'Пароль', signIn: 'Войти', members: '4 участника' },
};
/** The notices as each language words them; Ann is a woman, the bot's verbs are masculine. */
const NOTICES = {
  en: [
    'Ann Lee invited Carl Moss, Dan Reed to the chat',
    'Ann Lee removed Carl Moss from the chat',
    'Helper Bot changed the chat name to “Launch crew”',
    'Helper Bot changed the chat color to “Mint”',
  ],
  ru: [
    'Ann Lee пригласила в чат Carl Moss, Dan Reed',
    'Ann Lee исключила из чата Carl Moss',
    'Helper Bot изменил название чата на «Launch crew»',
    'Helper Bot изменил цвет чата на «Мятный»',
  ],
};

describe('the messenger in both languages, on a desktop and a phone', () => {
  let server: TestServer;
  let browser: Browser;
  let ann: number;
  let helper: number;
  let dan: number;
  let dialogId: string;
  const consoleErrors: string[] = [];
  let offline = false;

  const asAnn = async (method: string, params: Record<string, unknown>) => {
    const hook = await server.app.domain.identities.createWebhook(ann, [], `ann${method.replaceAll('.', '')}x`);
    const res = await server.call(method, params, `${server.url}/rest/${ann}/${hook.token}/`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.result;
  };
  const asBot = async (method: string, params: Record<string, unknown>) => {
    const res = await server.call(method, { BOT_ID: helper, CLIENT_ID, ...params });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.result;
  };

  before(async () => {
    [server, browser] = await Promise.all([
      startTestServer({ features: features({ adminToken: 'admin-token' }) }),
      launchBrowser(),
    ]);
    const users = server.app.domain.users;
    const make = async (name: string, last: string, login: string, gender = 'M') =>
      (
        await users.create({
          name,
          last_name: last,
          login,
          personal_gender: gender,
          password_hash: hashPassword(`${login}-pw`),
        })
      ).id;
    ann = await make('Ann', 'Lee', 'ann', 'F');
    const bob = await make('Bob', 'Stone', 'bob');
    const carl = await make('Carl', 'Moss', 'carl');
    dan = await make('Dan', 'Reed', 'dan');
    helper = await registerBot(server, CLIENT_ID, 'helper', { PROPERTIES: { NAME: 'Helper', LAST_NAME: 'Bot' } });
    const chatId = await asAnn('im.chat.add', { TITLE: 'Crew', USERS: [bob, helper] });
    dialogId = `chat${chatId}`;
    await asAnn('im.chat.user.add', { CHAT_ID: chatId, USERS: [carl, dan] });
    await asAnn('im.chat.user.delete', { CHAT_ID: chatId, USER_ID: carl });
    await asBot('imbot.chat.updateTitle', { CHAT_ID: chatId, TITLE: 'Launch crew' });
    await asBot('imbot.chat.updateColor', { CHAT_ID: chatId, COLOR: 'MINT' });
    await asBot('imbot.message.add', {
      DIALOG_ID: dialogId,
      MESSAGE: 'Build [B]#42[/B] is out 🚀',
      ATTACH: [
        { MESSAGE: 'All 311 tests passed' },
        { GRID: [{ DISPLAY: 'LINE', NAME: 'Branch', VALUE: 'main' }] },
        { FILE: { LINK: 'https://example.com/report.pdf', NAME: 'report.pdf', SIZE: 52340 } },
      ],
      KEYBOARD: [
        { TEXT: 'Roll back', COMMAND: 'rollback', BG_COLOR: '#29619b', TEXT_COLOR: '#fff' },
        { TEXT: 'Thanks', ACTION: 'SEND', ACTION_VALUE: 'Thanks!' },
      ],
    });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    assert.deepEqual(consoleErrors, [], 'no console errors');
  });

  async function open(lang: keyof typeof LOCALES, viewport: typeof DESKTOP): Promise<Page> {
    const context = await browser.newContext({ viewport, locale: LOCALES[lang] });
    const page = await context.newPage();
    page.on('console', (m) => {
      // While the test cuts the network on purpose, the browser logs its failed requests itself.
      if (m.type() === 'error' && !(offline && /Failed to load resource|WebSocket connection/.test(m.text()))) {
        consoleErrors.push(`${lang}: ${m.text()}`);
      }
    });
    page.on('pageerror', (e) => consoleErrors.push(`${lang}: ${e.message}`));
    await page.goto(`${server.url}/`);
    await page.getByLabel(WORDS[lang].login).fill('ann');
    await page.getByLabel(WORDS[lang].password).fill('ann-pw');
    await page.getByRole('button', { name: WORDS[lang].signIn, exact: true }).click();
    await page.locator(`a.dialog[data-dialog-id="${dialogId}"]`).waitFor();
    return page;
  }

  const fits = async (page: Page, what: string) => {
    const { scrollWidth, clientWidth } = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      clientWidth: document.documentElement.clientWidth,
    }));
    assert.ok(scrollWidth <= clientWidth, `${what}: ${scrollWidth} px wide in ${clientWidth} px`);
    assert.deepEqual(await lowContrast(page), [], `${what}: text below 4.5:1`);
  };
  const background = (page: Page, selector: string) =>
    page
      .locator(selector)
      .first()
      .evaluate((e) => getComputedStyle(e).backgroundColor);

  for (const lang of ['en', 'ru'] as const) {
    for (const [device, viewport] of [
      ['desktop', DESKTOP],
      ['phone', PHONE_390],
    ] as const) {
      it(`${lang}, ${device}: a group chat's notices in the reader's language, a bot's attachment and keyboard`, async () => {
        const page = await open(lang, viewport);
        const row = page.locator(`a.dialog[data-dialog-id="${dialogId}"]`);
        const listColor = await background(page, `a.dialog[data-dialog-id="${dialogId}"] .avatar`);
        await fits(page, 'dialog list');
        await screenshot(page, `messenger-${lang}-${device}-list`);
        await row.click();
        await page.locator('.chat-sub').getByText(WORDS[lang].members).waitFor();
        for (const notice of NOTICES[lang]) await page.locator('.message.system').getByText(notice).waitFor();
        assert.equal(await page.locator('.message.system').count(), NOTICES[lang].length);
        assert.equal(await background(page, '.chat-header .avatar'), listColor, 'one colour for the chat');
        const reply = page.locator('.message.from-bot').last();
        await reply.locator('.keyboard-row').first().waitFor();
        assert.equal(await reply.locator('.attach-files li').count(), 1);
        await fits(page, 'group chat');
        await screenshot(page, `messenger-${lang}-${device}-group`);
      });
    }
  }

  it('an avatar has one colour in the list, the header, the pickers and beside messages', async () => {
    const page = await open('en', DESKTOP);
    await page.locator(`a.dialog[data-dialog-id="${dialogId}"]`).click();
    const beside = await background(page, '.message.from-bot .avatar-slot .avatar');
    // The people directory (user.get, imbot.bot.list) tells no colours: it must not grey out what im answers told.
    await page.getByRole('button', { name: '+ New chat' }).click();
    const picked = page.locator(`dialog.new-chat .candidate[data-user-id="${helper}"] .avatar`);
    await picked.first().waitFor();
    assert.equal(await picked.first().evaluate((e) => getComputedStyle(e).backgroundColor), beside);
    // Someone no message has shown yet has their colour too (im.user.list.get), not the stand-in grey.
    const stranger = page.locator(`dialog.new-chat .candidate[data-user-id="${dan}"] .avatar`);
    assert.notEqual(await stranger.evaluate((e) => getComputedStyle(e).backgroundColor), 'rgb(101, 115, 128)');
    await page.keyboard.press('Escape');
    await page.goto(`${server.url}/#${helper}`);
    await page.getByRole('heading', { name: 'Helper Bot', level: 2 }).waitFor();
    assert.equal(await background(page, '.chat-header .avatar'), beside);
    assert.equal(await background(page, `a.dialog[data-dialog-id="${helper}"] .avatar`), beside);
  });

  it('[color] in one’s own bubble is drawn only when it keeps 4.5:1 on that light blue too', async () => {
    const page = await open('en', DESKTOP);
    await page.locator(`a.dialog[data-dialog-id="${dialogId}"]`).click();
    const field = page.getByRole('textbox', { name: 'Message' });
    // #767676 has 4.54:1 on white but 3.9:1 on the own bubble; #c00 keeps 5:1 on both.
    await field.fill('[color=#767676]grey[/color] and [color=#c00]red[/color]');
    await field.press('Enter');
    const mine = page.locator('.message.mine').last();
    await mine.getByText('red', { exact: true }).waitFor();
    const colored = await mine
      .locator('.text [style]')
      .evaluateAll((spans) => spans.map((e) => [e.textContent, getComputedStyle(e).color]));
    assert.deepEqual(colored, [['red', 'rgb(204, 0, 0)']]);
    assert.deepEqual(await lowContrast(page), []);
  });

  it('a lost connection is one toast in the catalog’s words that goes by itself when the server answers again', async () => {
    const page = await open('en', DESKTOP);
    offline = true;
    try {
      await page.context().setOffline(true);
      await page.locator(`a.dialog[data-dialog-id="${dialogId}"]`).click();
      const toast = page.locator('.toast[role="alert"]');
      await toast.getByText(NETWORK).waitFor();
      assert.equal(await page.getByText('Failed to fetch').count(), 0);
      await page.context().setOffline(false);
      await toast.waitFor({ state: 'detached' });
      await page.locator('.message.from-bot').last().waitFor();
    } finally {
      offline = false;
    }
  });
});
