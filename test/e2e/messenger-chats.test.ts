import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext } from 'playwright-core';
import { hashPassword } from '../../src/domain/users.ts';
import { features } from '../../src/features.ts';
import { startTestServer, type TestServer } from '../helpers/harness.ts';
import { registerBot } from '../helpers/messenger.ts';
import { DESKTOP, launchBrowser, PHONE_390, screenshot, signIn } from './browser.ts';

const CLIENT_ID = 'helper-app';

/** Every block kind of the attachments pages (b24restdocs …/imbot.v2/messages/attachments/block-collections). */
const ATTACH = {
  ID: 1,
  COLOR_TOKEN: 'primary',
  BLOCKS: [
    { USER: { NAME: 'Release Robot', LINK: 'https://example.com/robot' } },
    { MESSAGE: 'Build [B]#42[/B] is green' },
    { LINK: { NAME: 'Open the build', LINK: 'https://example.com/build/42', DESC: 'All 311 tests passed' } },
    { DELIMITER: { SIZE: 200, COLOR: '#c6c6c6' } },
    {
      GRID: [
        { DISPLAY: 'ROW', NAME: 'Branch', VALUE: 'main' },
        { DISPLAY: 'ROW', NAME: 'Duration', VALUE: '4 min' },
      ],
    },
    { IMAGE: { LINK: 'https://example.com/chart.png', NAME: 'Chart' } },
    { FILE: { LINK: 'https://example.com/report.pdf', NAME: 'report.pdf', SIZE: 52340 } },
  ],
};

describe('web messenger: group chats, what bots send, read ticks, the offline queue', () => {
  let server: TestServer;
  let browser: Browser;
  let ann: number;
  let bob: number;
  let carl: number;
  let helper: number;
  const contexts: BrowserContext[] = [];
  const consoleErrors: string[] = [];

  const person = async (login: string, options: { viewport?: typeof DESKTOP; locale?: string } = {}) => {
    const context = await browser.newContext({
      viewport: options.viewport ?? DESKTOP,
      locale: options.locale ?? 'en-US',
    });
    contexts.push(context);
    const page = await context.newPage();
    page.on('console', (message) => {
      // Requests the offline test aborts on purpose are logged by the browser itself.
      if (message.type() === 'error' && !message.text().includes('Failed to load resource')) {
        consoleErrors.push(`${login}: ${message.text()}`);
      }
    });
    page.on('pageerror', (error) => consoleErrors.push(`${login}: ${error.message}`));
    await page.goto(`${server.url}/`);
    const ru = options.locale?.startsWith('ru');
    if (ru) {
      await page.getByLabel('Логин').fill(login);
      await page.getByLabel('Пароль').fill(`${login}-pw`);
      await page.getByRole('button', { name: 'Войти', exact: true }).click();
    } else {
      await signIn(page, login, `${login}-pw`);
    }
    await page.locator('.topbar .me').waitFor();
    return page;
  };
  const members = async (chatId: number) =>
    (await server.db.query<any>('SELECT user_id FROM chat_members WHERE chat_id = $1 ORDER BY user_id', [chatId])).map(
      (r) => r.user_id,
    );
  const lastTextBy = async (authorId: number) =>
    (await server.db.one<any>('SELECT text FROM messages WHERE author_id = $1 ORDER BY id DESC LIMIT 1', [authorId]))
      ?.text;
  const sendAsBot = async (params: Record<string, unknown>) => {
    const res = await server.call('imbot.message.add', { BOT_ID: helper, CLIENT_ID, ...params });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.result as number;
  };

  before(async () => {
    const [started, launched] = await Promise.all([
      startTestServer({ features: features({ adminToken: 'admin-token' }) }),
      launchBrowser(),
    ]);
    server = started;
    browser = launched;
    const users = server.app.domain.users;
    const make = async (name: string, last: string, login: string) =>
      (await users.create({ name, last_name: last, login, password_hash: hashPassword(`${login}-pw`) })).id;
    ann = await make('Ann', 'Lee', 'ann');
    bob = await make('Bob', 'Stone', 'bob');
    carl = await make('Carl', 'Moss', 'carl');
    helper = await registerBot(server, CLIENT_ID, 'helper', { PROPERTIES: { NAME: 'Helper', LAST_NAME: 'Bot' } });
  });
  after(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await server?.close();
    assert.deepEqual(consoleErrors, [], 'no console errors');
  });

  it('a group chat: create with people and a bot, add and remove members, @mention the bot, leave', async () => {
    const page = await person('ann');
    await page.getByRole('button', { name: '+ New chat' }).click();
    await page.getByRole('button', { name: 'Group chat' }).click();
    await page.getByLabel('Chat title').fill('Launch crew');
    await page.locator(`.group-form label.candidate[data-user-id="${bob}"] input`).check();
    // Bots are told apart by their CODE.
    const helperRow = page.locator(`.group-form label.candidate[data-user-id="${helper}"]`);
    assert.equal(await helperRow.locator('.candidate-code').textContent(), 'helper');
    await helperRow.locator('input').check();
    await screenshot(page, 'group-create-desktop');
    await page.getByRole('button', { name: 'Create chat' }).click();
    await page.getByRole('heading', { name: 'Launch crew', level: 2 }).waitFor();
    const dialogId = decodeURIComponent(new URL(page.url()).hash.slice(1));
    const chatId = Number(dialogId.replace('chat', ''));
    assert.ok(chatId > 0, page.url());
    assert.deepEqual(
      await members(chatId),
      [ann, bob, helper].sort((a, b) => a - b),
    );
    await page.locator('.chat-sub').getByText('3 members').waitFor();

    // Add Carl, then remove him again, from the member list.
    await page.getByRole('button', { name: 'Members' }).click();
    const list = page.locator('dialog.members');
    await list.locator(`.member[data-user-id="${helper}"]`).getByText('bot').waitFor();
    await list.getByRole('button', { name: 'Add members' }).click();
    await list.locator(`label.candidate[data-user-id="${carl}"] input`).check();
    await list.getByRole('button', { name: 'Add to chat' }).click();
    await list.locator(`.member[data-user-id="${carl}"]`).waitFor();
    assert.deepEqual(
      await members(chatId),
      [ann, bob, carl, helper].sort((a, b) => a - b),
    );
    await screenshot(page, 'group-members-desktop');
    await list.getByRole('button', { name: 'Remove Carl Moss from the chat' }).click();
    await list.locator(`.member[data-user-id="${carl}"]`).waitFor({ state: 'detached' });
    assert.deepEqual(
      await members(chatId),
      [ann, bob, helper].sort((a, b) => a - b),
    );
    assert.equal(await list.getByRole('button', { name: 'Leave chat' }).count(), 0, 'the owner cannot leave');
    await list.getByRole('button', { name: 'Close' }).click();
    await page.locator('.message.system').getByText('removed').waitFor();

    // @mention: the list offers the chat's members, Enter inserts the BB-code that addresses the bot.
    const field = page.getByRole('textbox', { name: 'Message' });
    await field.pressSequentially('@Hel', { delay: 20 });
    const option = page.getByRole('option', { name: /Helper Bot/ });
    await option.waitFor();
    assert.equal(await option.getAttribute('aria-selected'), 'true');
    await screenshot(page, 'group-mention-desktop');
    await field.press('Enter');
    await field.pressSequentially('status please');
    assert.equal(await field.inputValue(), `[USER=${helper}]Helper Bot[/USER] status please`);
    await field.press('Enter');
    await page.locator('.message.mine').getByRole('button', { name: 'Helper Bot' }).waitFor();
    assert.equal(await lastTextBy(ann), `[USER=${helper}]Helper Bot[/USER] status please`);

    // Bob, on a phone, removes nobody, a chat administrator neither (chatManagers, live): over v1 only the owner
    // removes (CIMChat::DeleteUser). Ann removes the bot, Bob's list follows; he leaves; Ann's count follows live.
    const bobPage = await person('bob', { viewport: PHONE_390 });
    await bobPage.locator(`a.dialog[data-dialog-id="${dialogId}"]`).click();
    await bobPage.getByRole('button', { name: 'Members' }).click();
    const bobList = bobPage.locator('dialog.members');
    await bobList.locator(`.member[data-user-id="${helper}"]`).waitFor();
    assert.equal(await bobList.getByRole('button', { name: /^Remove / }).count(), 0, 'a member removes nobody');
    const chat = (await server.app.domain.chats.get(chatId))!;
    await server.app.domain.groupChats.setManagers({
      chat,
      managers: new Map([[bob, true]]),
      live: { origin: server.url },
    });
    await bobList.locator(`.member[data-user-id="${bob}"]`).getByText('admin').waitFor();
    assert.equal(await bobList.getByRole('button', { name: /^Remove / }).count(), 0, 'an administrator neither');
    await screenshot(bobPage, 'group-members-phone');
    await page.getByRole('button', { name: 'Members' }).click();
    await list.getByRole('button', { name: 'Remove Helper Bot from the chat' }).click();
    await list.locator(`.member[data-user-id="${helper}"]`).waitFor({ state: 'detached' });
    await list.getByRole('button', { name: 'Close' }).click();
    await bobList.locator(`.member[data-user-id="${helper}"]`).waitFor({ state: 'detached' });
    assert.deepEqual(
      await members(chatId),
      [ann, bob].sort((a, b) => a - b),
    );
    await bobList.getByRole('button', { name: 'Leave chat' }).click();
    await bobPage.locator(`a.dialog[data-dialog-id="${dialogId}"]`).waitFor({ state: 'detached' });
    assert.deepEqual(await members(chatId), [ann]);
    await page.locator('.chat-sub').getByText('1 member', { exact: false }).waitFor();
    await screenshot(page, 'group-after-leave-desktop');
  });

  it('a bot message: every attachment block, a keyboard, a menu; days apart; read ticks follow the reader', async () => {
    // An older message two days back, so the log has two day separators.
    const old = await sendAsBot({ DIALOG_ID: String(ann), MESSAGE: 'Yesterday’s news' });
    await server.db.query("UPDATE messages SET created_at = created_at - interval '2 days' WHERE id = $1", [old]);
    await sendAsBot({
      DIALOG_ID: String(ann),
      MESSAGE:
        'Deploy finished, [URL=https://example.com]see details[/URL], [color=#c00]2 warnings[/color] [color=#ff0]pale[/color]',
      ATTACH,
      KEYBOARD: [
        { TEXT: 'Roll back', COMMAND: 'rollback', COMMAND_PARAMS: '42', BG_COLOR: '#29619b', TEXT_COLOR: '#fff' },
        { TYPE: 'NEWLINE' },
        { TEXT: 'Thanks', ACTION: 'SEND', ACTION_VALUE: 'Thanks!' },
      ],
      MENU: [{ TEXT: 'Open the log', LINK: 'https://example.com/log' }],
    });
    const page = await person('ann');
    await page.locator(`a.dialog[data-dialog-id="${helper}"]`).click();
    const reply = page.locator('.message.from-bot').last();
    await reply.getByText('Deploy finished').waitFor();
    assert.equal(await page.locator('.day-separator').count(), 2);
    assert.equal(await page.locator('.day-separator').last().textContent(), 'Today');
    // [color] with a hex colour that keeps 4.5:1 on the bubble; a pale one leaves the text dark.
    const color = (text: string) => reply.getByText(text).evaluate((e) => getComputedStyle(e).color);
    assert.equal(await color('2 warnings'), 'rgb(204, 0, 0)');
    assert.notEqual(await color('pale'), 'rgb(255, 255, 0)');
    const card = reply.locator('.attach.attach-primary');
    assert.equal(await card.locator('.attach-user').getByRole('link', { name: 'Release Robot' }).count(), 1);
    assert.equal(await card.locator('.attach-message strong').textContent(), '#42');
    assert.equal(
      await card.getByRole('link', { name: 'Open the build' }).getAttribute('href'),
      'https://example.com/build/42',
    );
    assert.equal(await card.locator('hr.attach-delimiter').count(), 1);
    assert.equal(await card.locator('.attach-grid.row dt').first().textContent(), 'Branch');
    assert.equal(await card.getByRole('img', { name: 'Chart' }).count(), 1);
    assert.match((await card.locator('.attach-files li').textContent()) ?? '', /report\.pdf 51\.1 KB/);
    assert.equal(await reply.locator('.keyboard-row').count(), 2);
    assert.equal(await reply.locator('.avatar-slot .avatar').count(), 1, 'the bot’s avatar');
    await reply.getByRole('button', { name: 'Message actions' }).click();
    await reply.getByRole('menuitem', { name: 'Open the log' }).waitFor();
    await screenshot(page, 'bot-attach-desktop');
    await page.keyboard.press('Escape');
    await reply.getByRole('menuitem').waitFor({ state: 'detached' });

    // A file sent to Ann while her dialog with the sender is open: named from the pull's `files` without a reload,
    // opened through a one-time link.
    await page.goto(`${server.url}/#1`);
    await page.locator('.empty-log').waitFor();
    const uploaded = await server.call('im.v2.File.upload', {
      dialogId: String(ann),
      fields: { name: 'notes.txt', content: Buffer.from('release notes').toString('base64'), message: 'The notes' },
    });
    assert.equal(uploaded.status, 200, JSON.stringify(uploaded.body));
    const fileButton = page.locator('.message .file').filter({ hasText: 'notes.txt' });
    await fileButton.waitFor();
    const [served, tab] = await Promise.all([
      page.context().waitForEvent('response', (r) => r.url().includes('/rest/download.json')),
      page.context().waitForEvent('page'),
      fileButton.click(),
    ]);
    assert.equal(served.status(), 200);
    assert.match(served.headers()['content-disposition'] ?? '', /notes\.txt/);
    await tab.close();

    // Ann writes to Bob: ✓ until Bob opens the dialog, then ✓✓ without a reload (readMessageOpponent).
    await page.goto(`${server.url}/#${bob}`);
    await page.getByRole('heading', { name: 'Bob Stone', level: 2 }).waitFor();
    await page.getByRole('textbox', { name: 'Message' }).fill('Are you there?');
    await page.getByRole('textbox', { name: 'Message' }).press('Enter');
    const mine = page.locator('.message.mine').filter({ hasText: 'Are you there?' });
    await mine.locator('.ticks[aria-label="Sent"]').waitFor();
    const bobPage = await person('bob');
    await bobPage.locator(`a.dialog[data-dialog-id="${ann}"]`).click();
    await bobPage.locator('.message').getByText('Are you there?').waitFor();
    await mine.locator('.ticks.read[aria-label="Read by Bob Stone"]').waitFor();
    await screenshot(page, 'read-ticks-desktop');
  });

  it('offline: a message waits with a pending mark, is sent once when the server answers again, or is discarded', async () => {
    const page = await person('carl', { viewport: PHONE_390 });
    await page.goto(`${server.url}/#${helper}`);
    await page.getByRole('heading', { name: 'Helper Bot', level: 2 }).waitFor();
    const field = page.getByRole('textbox', { name: 'Message' });

    // The server cannot be reached: the message waits in the conversation, not in the composer.
    await page.route('**/rest/im.message.add', (route) => route.abort('internetdisconnected'));
    await field.fill('sent while offline');
    await field.press('Enter');
    assert.equal(await field.inputValue(), '', 'not left in the composer');
    const pending = page.locator('.message.pending').filter({ hasText: 'sent while offline' });
    await pending.getByText('Waiting for connection').waitFor();
    assert.equal(await page.getByText('Failed to fetch').count(), 0);

    // A second one, discarded before the connection returns: never stored.
    await field.fill('never mind');
    await field.press('Enter');
    const second = page.locator('.message.pending').filter({ hasText: 'never mind' });
    await second.getByRole('button', { name: 'Discard' }).waitFor();
    await screenshot(page, 'offline-pending-phone');
    await second.getByRole('button', { name: 'Discard' }).click();
    await second.waitFor({ state: 'detached' });

    // Back, but the answer is lost on the way: stored once, whether the echo or a resend (same TEMPLATE_ID) tells.
    let lost = 0;
    await page.unroute('**/rest/im.message.add');
    await page.route('**/rest/im.message.add', async (route) => {
      await route.fetch();
      lost++;
      await route.abort('connectionreset');
    });
    await page.locator('.message:not(.pending)').filter({ hasText: 'sent while offline' }).waitFor();
    await pending.waitFor({ state: 'detached' });
    assert.ok(lost >= 1);
    await page.unroute('**/rest/im.message.add');
    const stored = await server.db.query<any>('SELECT id FROM messages WHERE author_id = $1 AND text = $2', [
      carl,
      'sent while offline',
    ]);
    assert.equal(stored.length, 1, 'exactly one message stored');
    const discarded = await server.db.query<any>('SELECT id FROM messages WHERE text = $1', ['never mind']);
    assert.equal(discarded.length, 0);
    await screenshot(page, 'offline-sent-phone');
  });

  it('in Russian: the switch, day separators and dates in Russian, on a phone and a desktop', async () => {
    await sendAsBot({ DIALOG_ID: String(carl), MESSAGE: 'Привет! Сборка готова.', ATTACH });
    const page = await person('carl', { viewport: PHONE_390, locale: 'ru-RU' });
    await page.getByRole('button', { name: '+ Новый чат' }).waitFor();
    await page.locator(`a.dialog[data-dialog-id="${helper}"]`).waitFor();
    // The longer Russian labels wrap the top bar instead of pushing the page sideways.
    const { scrollWidth, clientWidth } = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      clientWidth: document.documentElement.clientWidth,
    }));
    assert.ok(scrollWidth <= clientWidth, `${scrollWidth} px wide in ${clientWidth} px`);
    const signOut = await page.getByRole('button', { name: 'Выйти' }).boundingBox();
    assert.ok(signOut && signOut.x + signOut.width <= PHONE_390.width, JSON.stringify(signOut));
    await screenshot(page, 'ru-list-phone');
    await page.locator(`a.dialog[data-dialog-id="${helper}"]`).click();
    await page.locator('.day-separator').getByText('Сегодня').first().waitFor();
    await page.getByRole('textbox', { name: 'Сообщение' }).waitFor();
    await screenshot(page, 'ru-chat-phone');
    await page.setViewportSize(DESKTOP);
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('button', { name: '+ New chat' }).waitFor();
    await page.getByRole('button', { name: 'Русский' }).click();
    await page.getByRole('button', { name: '+ Новый чат' }).click();
    await page.getByRole('button', { name: 'Групповой чат' }).click();
    await page.getByLabel('Название чата').waitFor();
    await screenshot(page, 'ru-group-create-desktop');
  });
  it('a failed call is told in the catalog’s words, in the language of the moment, never as the raw answer', async () => {
    const page = await person('ann');
    await page.goto(`${server.url}/#${helper}`);
    // A proxy's error page instead of JSON: not "ERROR_UNEXPECTED_ANSWER".
    await page.route('**/rest/im.dialog.writing', (route) =>
      route.fulfill({ status: 502, contentType: 'text/html', body: '<h1>502 Bad Gateway</h1>' }),
    );
    await page.getByRole('textbox', { name: 'Message' }).pressSequentially('hi');
    const toast = page.locator('.toast[role="alert"]');
    await toast.getByText('The server sent an unexpected answer.').waitFor();
    assert.equal(await page.getByText('ERROR_UNEXPECTED_ANSWER').count(), 0);
    await screenshot(page, 'toast-unexpected-desktop');
    await page.getByRole('button', { name: 'Русский' }).click();
    await toast.getByText('Сервер прислал неожиданный ответ.').waitFor();
    await toast.getByRole('button', { name: 'Закрыть' }).click();
    await toast.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'English' }).click();
    await page.unroute('**/rest/im.dialog.writing');
  });
});
