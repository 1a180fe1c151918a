import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { features } from '../../src/features.ts';
import { eventually, FAST } from '../helpers/handler.ts';
import { startTestServer, type TestServer } from '../helpers/harness.ts';
import { DESKTOP, launchBrowser, screenshot, signIn } from './browser.ts';

describe('admin pages in a browser', () => {
  let server: TestServer;
  let browser: Browser;
  before(async () => {
    [server, browser] = await Promise.all([
      startTestServer({
        features: features({ adminToken: 'admin-token' }),
        config: { delivery: { ...FAST, maxAttempts: 2 } },
      }),
      launchBrowser(),
    ]);
    const bot = await server.call('imbot.register', {
      CODE: 'helper',
      CLIENT_ID: 'helper-app',
      EVENT_HANDLER: 'http://127.0.0.1:9/bot-events',
      PROPERTIES: { NAME: 'Helper Bot' },
    });
    assert.equal(bot.status, 200, JSON.stringify(bot.body));
    // Its handler URL refuses connections: the message's event delivery fails after two attempts.
    const sent = await server.call('im.message.add', { DIALOG_ID: String(bot.body.result), MESSAGE: 'ping' });
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('an administrator signs in and manages users, webhooks, apps and tokens, and sees bots', async () => {
    const context = await browser.newContext({ viewport: DESKTOP, locale: 'en-US' });
    const page = await context.newPage();
    await page.goto(`${server.url}/admin`);
    await page.getByRole('heading', { name: 'Development mode: sign in as' }).waitFor();
    await screenshot(page, 'sign-in');
    await signIn(page, 'admin', 'admin');

    await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
    await page.getByLabel('First name').fill('Dana');
    await page.getByLabel('Last name').fill('Reed');
    await page.getByLabel('Login').fill('dana');
    await page.getByLabel('Password').fill('dana-pass');
    await page.getByRole('button', { name: 'Create user' }).click();
    await page.getByRole('status').filter({ hasText: 'Created Dana' }).waitFor();
    await page.getByRole('cell', { name: 'Dana Reed' }).waitFor();
    await screenshot(page, 'admin-users');

    await page.getByRole('link', { name: 'Webhooks' }).click();
    await page.getByRole('heading', { name: 'Webhooks', level: 1 }).waitFor();
    await page.getByLabel('Title').fill('CI bot');
    await page.getByRole('checkbox', { name: 'imbot' }).check();
    await page.getByRole('button', { name: 'Create webhook' }).click();
    const url = await page.getByLabel('New webhook URL').inputValue();
    assert.match(url, new RegExp(`^${server.url}/rest/1/[0-9a-f]+/$`));
    const check = await server.call('scope', {}, url);
    assert.deepEqual(check.body.result, ['imbot']);
    await page.getByRole('cell', { name: 'CI bot' }).waitFor();
    await screenshot(page, 'admin-webhooks');

    await page.getByRole('link', { name: 'OAuth apps & tokens' }).click();
    // The webhooks page has a Title field too: fill only once the apps page is there.
    await page.getByRole('heading', { name: 'OAuth apps & tokens', level: 1 }).waitFor();
    await page.getByLabel('Title').fill('My integration');
    await page.getByRole('button', { name: 'Create app' }).click();
    await page.getByRole('cell', { name: 'My integration' }).waitFor();
    const mine = await page.locator('option', { hasText: 'My integration' }).getAttribute('value');
    await page.getByRole('combobox', { name: 'Application' }).selectOption(mine!);
    await page.getByRole('button', { name: 'Issue token' }).click();
    const token = await page.getByLabel('access_token', { exact: true }).inputValue();
    const me = await server.call('profile', { auth: token }, `${server.url}/rest/`);
    assert.equal(me.body.result.ID, '1');
    await screenshot(page, 'admin-apps');

    await page.getByRole('link', { name: 'Bots' }).click();
    await page.getByRole('cell', { name: 'Helper Bot' }).waitFor();
    assert.ok(await page.getByText('http://127.0.0.1:9/bot-events').first().isVisible());
    await screenshot(page, 'admin-bots');

    await eventually(async () => {
      const res = await fetch(`${server.url}/admin/api/deliveries?status=failed`, {
        headers: { authorization: 'Bearer admin-token' },
      });
      const { deliveries } = (await res.json()).result;
      return deliveries.some((d: { event: string }) => d.event === 'ONIMBOTMESSAGEADD');
    });
    await page.getByRole('link', { name: 'Event deliveries' }).click();
    const row = page.getByRole('row').filter({ hasText: 'ONIMBOTMESSAGEADD' });
    await row.locator('.status-failed').waitFor();
    assert.match((await row.textContent()) ?? '', /127\.0\.0\.1:9\/bot-events/);
    await screenshot(page, 'admin-deliveries');
    await row.getByRole('button', { name: /Retry delivery/ }).click();
    await row.locator('.status-pending').waitFor();
    await context.close();
  });

  it('a person who is not an administrator is turned away', async () => {
    await server.app.domain.users.create({
      name: 'Eve',
      login: 'eve',
      password_hash: (await import('../../src/domain/users.ts')).hashPassword('eve-pass'),
    });
    const context = await browser.newContext({ viewport: DESKTOP, locale: 'en-US' });
    const page = await context.newPage();
    await page.goto(`${server.url}/admin`);
    await signIn(page, 'eve', 'eve-pass');
    await page.getByRole('heading', { name: 'Administrators only' }).waitFor();
    await context.close();
  });
});
