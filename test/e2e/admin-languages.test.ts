import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { type B24Local, startB24Local } from '../../src/testing.ts';
import { eventually, HandlerStub } from '../helpers/handler.ts';
import { testDatabase } from '../helpers/harness.ts';
import { DESKTOP, launchBrowser, lowContrast, PHONE_390, screenshot } from './browser.ts';

// The admin pages in English and Russian, on a desktop and on a 390 px phone: every section fits the width (no
// sideways scrolling), text keeps 4.5:1 contrast, nothing logs an error, the language follows the browser and the switch; the inspector
// shows a REST call with its params and answer, the deliveries page a handler's answer.

type Catalog = Record<string, any>;
const catalog = (lang: string): Catalog =>
  JSON.parse(readFileSync(new URL(`../../web/src/i18n/${lang}.json`, import.meta.url), 'utf8'));
const TEXT = { en: catalog('en'), ru: catalog('ru') };
const LOCALES = { en: 'en-US', ru: 'ru-RU' } as const;
type Lang = keyof typeof LOCALES;
const SECTIONS = ['users', 'webhooks', 'apps', 'bots', 'deliveries', 'inspector'] as const;
const HANDLER_ANSWER = '{"handled":"by the stub"}';

describe('admin pages in both languages, on a desktop and a phone', () => {
  const handler = new HandlerStub();
  let b24: B24Local;
  let browser: Browser;
  let botId: number;

  const rest = async (method: string, params: Record<string, unknown>) => {
    const res = await fetch(`${await b24.webhookUrl(1)}${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(params),
    });
    const body = await res.json();
    assert.equal(res.status, 200, JSON.stringify(body));
    return body.result;
  };

  before(async () => {
    handler.body = HANDLER_ANSWER;
    await handler.start();
    const db = await testDatabase();
    await db.close();
    [b24, browser] = await Promise.all([
      startB24Local({ databaseUrl: db.url, env: { B24_DELIVERY_MAX_ATTEMPTS: '20' } }),
      launchBrowser(),
    ]);
    botId = await rest('imbot.register', {
      CODE: 'stub_bot',
      CLIENT_ID: 'stub-app',
      EVENT_HANDLER: handler.url,
      PROPERTIES: { NAME: 'Stub' },
    });
    await b24.say(1, String(botId), 'hello stub');
    await eventually(() => b24.requests({ kind: 'delivery', bot: botId, status: 'ok' }).length > 0);
    await rest('im.message.add', { DIALOG_ID: String(botId), MESSAGE: 'inspect me' });
  });
  after(async () => {
    await browser?.close();
    await b24?.stop();
    await handler.down();
  });

  /** A page that records console errors and uncaught exceptions. */
  async function open(lang: Lang, viewport: { width: number; height: number }) {
    const context = await browser.newContext({ viewport, locale: LOCALES[lang] });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    return { context, page, errors };
  }

  async function signIn(page: Page, lang: Lang) {
    const text = TEXT[lang].signIn;
    await page.goto(`${b24.url}/admin`);
    await page.getByLabel(text.login, { exact: true }).fill('admin');
    await page.getByLabel(text.password, { exact: true }).fill('admin');
    await page.getByRole('button', { name: text.submit, exact: true }).click();
    await page.getByRole('heading', { name: TEXT[lang].admin.sections.users, level: 1 }).waitFor();
  }

  /** The section's heading and a piece of its content that only comes with the data. */
  async function show(page: Page, lang: Lang, section: (typeof SECTIONS)[number]) {
    await page.evaluate((s) => {
      location.hash = s;
    }, section);
    await page.getByRole('heading', { name: TEXT[lang].admin.sections[section], level: 1 }).waitFor();
    const ready = {
      users: page.getByRole('cell', { name: 'admin', exact: true }).first(),
      // A webhook's user by name, not '#1'.
      webhooks: page.getByRole('cell', { name: 'Admin Local #1', exact: true }).first(),
      apps: page.getByRole('cell', { name: 'b24-local.web', exact: true }),
      // Told apart by CODE and application.
      bots: page.getByRole('cell').filter({ hasText: 'stub_bot' }).filter({ hasText: 'Stub' }).first(),
      deliveries: page.getByRole('row').filter({ hasText: 'ONIMBOTMESSAGEADD' }).first(),
      inspector: page.getByRole('button', { name: /im\.message\.add/ }).first(),
    }[section];
    await ready.waitFor();
  }

  const overflow = (page: Page) =>
    page.evaluate(() => {
      const root = document.scrollingElement!;
      return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth };
    });

  for (const lang of ['en', 'ru'] as const) {
    for (const [device, viewport] of [
      ['desktop', DESKTOP],
      ['phone', PHONE_390],
    ] as const) {
      it(`${lang}, ${device}: every section fits the width and logs no error`, async () => {
        const { context, page, errors } = await open(lang, viewport);
        await page.goto(`${b24.url}/admin`);
        await page.getByRole('heading', { name: TEXT[lang].signIn.devPicker }).waitFor();
        assert.deepEqual(await lowContrast(page), [], 'sign-in: text below 4.5:1');
        await screenshot(page, `admin-${lang}-${device}-sign-in`);
        await signIn(page, lang);
        assert.equal(await page.getAttribute('html', 'lang'), lang);
        for (const section of SECTIONS) {
          await show(page, lang, section);
          if (section === 'bots') await page.getByText('CLIENT_ID stub-app', { exact: true }).waitFor();
          const { scrollWidth, clientWidth } = await overflow(page);
          assert.ok(scrollWidth <= clientWidth, `${section}: ${scrollWidth} px wide in ${clientWidth} px`);
          assert.deepEqual(await lowContrast(page), [], `${section}: text below 4.5:1`);
          await screenshot(page, `admin-${lang}-${device}-${section}`);
        }
        assert.deepEqual(errors, []);
        await context.close();
      });
    }
  }

  it('the language follows the browser; the switch changes it and is remembered', async () => {
    const { context, page, errors } = await open('ru', DESKTOP);
    await page.goto(`${b24.url}/admin`);
    await page.getByText(TEXT.ru.signIn.hint).waitFor();
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByText(TEXT.en.signIn.hint).waitFor();
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.equal(await page.getByRole('button', { name: 'English' }).getAttribute('aria-pressed'), 'true');
    await page.reload();
    await page.getByText(TEXT.en.signIn.hint).waitFor();
    await signIn(page, 'en');
    // In the admin bar too, without losing the open section.
    await show(page, 'en', 'bots');
    await page.getByRole('button', { name: 'Русский' }).click();
    await page.getByRole('heading', { name: TEXT.ru.admin.sections.bots, level: 1 }).waitFor();
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('the inspector shows a call made over REST: its params and answer; export gives JSON', async () => {
    const { context, page, errors } = await open('en', DESKTOP);
    await signIn(page, 'en');
    await show(page, 'en', 'inspector');
    await page.getByLabel('Method').fill('im.message.add');
    await page.getByLabel('Kind').selectOption('rest');
    const call = b24.requests({ method: 'im.message.add' })[0];
    await page.getByRole('button', { name: `Details of im.message.add #${call.id}` }).click();
    const dialog = page.getByRole('dialog', { name: `im.message.add #${call.id}` });
    await dialog.waitFor();
    const params = await dialog.getByRole('figure', { name: 'Params' }).textContent();
    assert.match(params ?? '', /"MESSAGE": "inspect me"/);
    const answer = await dialog.getByRole('figure', { name: 'Answer' }).textContent();
    assert.match(answer ?? '', new RegExp(`"result": ${(call.answer as { result: number }).result}`));
    assert.deepEqual(await lowContrast(page), []);
    await screenshot(page, 'admin-en-desktop-inspector-call');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export JSON' }).click();
    const file = JSON.parse(readFileSync((await (await download).path())!, 'utf8'));
    assert.ok(file.items.length > 0);
    assert.ok(file.items.every((i: { method: string }) => i.method === 'im.message.add'));
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('the deliveries page shows the payload and the handler answer, and refreshes itself', async () => {
    const { context, page, errors } = await open('en', PHONE_390);
    await signIn(page, 'en');
    await show(page, 'en', 'deliveries');
    const attempt = b24
      .requests({ kind: 'delivery', bot: botId, status: 'ok' })
      .find((a) => (a.params as any).data.PARAMS.MESSAGE === 'hello stub')!;
    // By keyboard: Enter opens the details, Escape closes them and gives the focus back.
    const details = page.getByRole('button', { name: `Details of delivery ${attempt.deliveryId}` });
    await details.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('figure', { name: 'Handler answer' }).filter({ hasText: 'by the stub' }).waitFor();
    const payload = await dialog.getByRole('figure', { name: 'Payload' }).first().textContent();
    assert.match(payload ?? '', /"MESSAGE": "hello stub"/);
    const { scrollWidth, clientWidth } = await overflow(page);
    assert.ok(scrollWidth <= clientWidth);
    assert.deepEqual(await lowContrast(page), []);
    await screenshot(page, 'admin-en-phone-delivery-details');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    assert.ok(await details.evaluate((button) => button === document.activeElement));

    // A new event shows up without a click.
    await b24.say(1, String(botId), 'second');
    await page.getByRole('row').filter({ hasText: 'ONIMBOTMESSAGEADD' }).nth(1).waitFor();
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('"Retry now" sends a delivery that waits for its next attempt at once (its Russian label on one line)', async () => {
    const { context, page, errors } = await open('ru', DESKTOP);
    await signIn(page, 'ru');
    await show(page, 'ru', 'deliveries');
    const words = TEXT.ru.admin.deliveries;
    // Retries are on for this server (B24_DELIVERY_MAX_ATTEMPTS); a frozen clock: the retry never comes by itself.
    b24.clock.freeze();
    handler.status = 500;
    try {
      await b24.say(1, String(botId), 'retry me');
      const failed = await eventually(() =>
        b24
          .requests({ kind: 'delivery', bot: botId, status: 500 })
          .find((a) => (a.params as any).data.PARAMS.MESSAGE === 'retry me'),
      );
      handler.status = 200;
      const retry = page.getByRole('button', { name: words.retryNowOne.replace('{{id}}', String(failed.deliveryId)) });
      const lines = await retry.evaluate((button) => {
        const range = document.createRange();
        range.selectNodeContents(button);
        return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
      });
      assert.equal(lines, 1, `"${words.retryNow}" on one line`);
      await screenshot(page, 'admin-ru-desktop-deliveries-retry');
      await retry.click();
      const row = page.getByRole('row').filter({
        has: page.getByRole('button', { name: words.detailsOne.replace('{{id}}', String(failed.deliveryId)) }),
      });
      await row.locator('.status-delivered').waitFor();
      assert.equal(b24.requests({ delivery: failed.deliveryId, status: 'ok' }).length, 1);
    } finally {
      handler.status = 200;
      b24.clock.resume();
    }
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('a lost connection is one toast that goes away by itself when the server answers again', async () => {
    const { context, page } = await open('en', DESKTOP);
    await signIn(page, 'en');
    await show(page, 'en', 'deliveries');
    await context.setOffline(true);
    const toast = page.getByRole('alert').filter({ hasText: TEXT.en.errors.network });
    await toast.waitFor();
    assert.equal(await page.getByText('Failed to fetch').count(), 0);
    await screenshot(page, 'admin-en-desktop-offline');
    await context.setOffline(false);
    await toast.waitFor({ state: 'detached' });
    await context.close();
  });

  it('the token form shows the application it will use before one is picked', async () => {
    const { context, page } = await open('en', DESKTOP);
    await signIn(page, 'en');
    await show(page, 'en', 'apps');
    const select = page.getByRole('combobox', { name: 'Application' });
    const first = await select.locator('option').first().getAttribute('value');
    assert.ok(first);
    assert.equal(await select.inputValue(), first);
    await context.close();
  });
});
