import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { eventDelivery } from '../../src/delivery/event-delivery.ts';
import { FAST, HandlerStub, oauthToken, type Received } from '../helpers/handler.ts';
import { startTestServer, type TestServer } from '../helpers/harness.ts';

const fixture: {
  docs: string;
  events: { page: string; tab: string; body: any; extraKeys?: Record<string, string[]> }[];
} = JSON.parse(readFileSync(new URL('../fixtures/v1-examples.json', import.meta.url), 'utf8'));

// Every event body of the v1 event pages (test/fixtures/v1-examples.json `events`, a tab per kind of dialog)
// against what this server POSTs to a bot's handler when a person does what the page describes: the same keys in
// the same order at every level the page shows (numeric keys — bot and command ids, MENTIONED_LIST — are data:
// compared entry to entry), every value of the same shape (form fields are strings; a page's empty list travels
// as no field at all, as PHP's http_build_query writes it).

const isNumeric = (k: string) => /^\d+$/.test(k);

/** Keys the platform's REST layer adds where the page shows none (the fixture's `extraKeys`, with the reason). */
let extra: Record<string, string[]> = {};

function assertForm(ours: unknown, documented: unknown, path: string): void {
  if (documented && typeof documented === 'object') {
    const doc = documented as Record<string, unknown>;
    if (Array.isArray(doc) || !Object.keys(doc).length) {
      // An empty list or map is no field at all in a form body; a full one arrives as a map.
      if (ours === undefined) return;
    }
    assert.ok(ours && typeof ours === 'object', `${path}: ${JSON.stringify(ours)} is not a map`);
    const mine = ours as Record<string, unknown>;
    const docKeys = Object.keys(doc).filter((k) => !isNumeric(k));
    const optional = (k: string) => doc[k] && typeof doc[k] === 'object' && !Object.keys(doc[k] as object).length;
    const ourKeys = Object.keys(mine).filter((k) => !isNumeric(k) && !extra[path]?.includes(k));
    for (const k of extra[path] ?? []) assert.equal(typeof mine[k], 'string', `${path}[${k}]`);
    assert.deepEqual(
      ourKeys,
      docKeys.filter((k) => k in mine || !optional(k)),
      `${path}: keys differ from the page's`,
    );
    for (const k of docKeys) assertForm(mine[k], doc[k], `${path}[${k}]`);
    const docIds = Object.keys(doc).filter(isNumeric);
    if (docIds.length) {
      const ids = Object.keys(mine).filter(isNumeric);
      assert.ok(ids.length, `${path}: no entry where the page shows ${docIds.join(', ')}`);
      assertForm(mine[ids[0]], doc[docIds[0]], `${path}[${ids[0]}]`);
    }
    return;
  }
  assert.equal(
    typeof ours,
    'string',
    `${path}: ${JSON.stringify(ours)} where the page shows ${JSON.stringify(documented)}`,
  );
}

describe(`v1 event bodies of ${fixture.docs} (${fixture.events.length})`, () => {
  const handler = new HandlerStub();
  let server: TestServer;
  let token: string;
  let bot: number;
  let ann: number;
  let chat: number;
  const received: Received[] = [];

  const rest = async (method: string, params: Record<string, unknown>, asApp = false) => {
    const url = asApp ? `${server.url}/rest/${method}` : `${server.webhook}${method}`;
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(asApp ? { ...params, auth: token } : params),
    });
    const body = await res.json();
    assert.equal(res.status, 200, `${method}: ${JSON.stringify(body)}`);
    return body.result;
  };
  /** Waits for the next POST of `event`, keeps every POST. */
  const next = async (event: string, chatType: 'P' | 'C') => {
    for (;;) {
      const found = handler.received.find(
        (r) => !received.includes(r) && r.form.event === event && kindOf(r) === chatType,
      );
      if (found) {
        received.push(found);
        return found;
      }
      await handler.waitFor(handler.received.length + 1);
    }
  };
  const kindOf = (r: Received) => (r.form.data?.PARAMS?.CHAT_TYPE === 'P' ? 'P' : 'C');

  before(async () => {
    await handler.start();
    server = await startTestServer({ config: { delivery: FAST }, features: [eventDelivery({ adminToken: 'a' })] });
    token = await oauthToken(server, 'app.events');
    ann = (await server.app.domain.users.create({ name: 'Anna', last_name: 'Ivanova', work_position: 'Manager' })).id;
    bot = await rest(
      'imbot.register',
      { CODE: 'newbot', TYPE: 'B', EVENT_HANDLER: handler.url, PROPERTIES: { NAME: 'NewBot' } },
      true,
    );
    await rest(
      'imbot.command.register',
      { BOT_ID: bot, COMMAND: 'echo', EVENT_COMMAND_ADD: handler.url, LANG: [{ LANGUAGE_ID: 'en', TITLE: 'Echo' }] },
      true,
    );
  });
  after(async () => {
    await server.close();
    await handler.down();
  });

  /** What a person does for each page's tab, then the POST it brings. */
  const scenes: Record<string, () => Promise<Received>> = {
    'ONIMBOTJOINCHAT P': async () => {
      await rest('im.dialog.get', { DIALOG_ID: bot });
      return next('ONIMBOTJOINCHAT', 'P');
    },
    'ONIMBOTMESSAGEADD P': async () => {
      await rest('im.message.add', { DIALOG_ID: bot, MESSAGE: 'Hello' });
      return next('ONIMBOTMESSAGEADD', 'P');
    },
    'ONIMBOTMESSAGEUPDATE P': async () => {
      const id = await rest('im.message.add', { DIALOG_ID: bot, MESSAGE: 'Typo' });
      await rest('im.message.update', { MESSAGE_ID: id, MESSAGE: 'Fixed' });
      return next('ONIMBOTMESSAGEUPDATE', 'P');
    },
    'ONIMBOTMESSAGEDELETE P': async () => {
      const id = await rest('im.message.add', { DIALOG_ID: bot, MESSAGE: 'Oops' });
      await rest('im.message.delete', { MESSAGE_ID: id });
      return next('ONIMBOTMESSAGEDELETE', 'P');
    },
    'ONIMCOMMANDADD P': async () => {
      await rest('im.message.add', { DIALOG_ID: bot, MESSAGE: '/echo hi' });
      return next('ONIMCOMMANDADD', 'P');
    },
    'ONIMBOTJOINCHAT C': async () => {
      chat = await rest('im.chat.add', { TYPE: 'CHAT', TITLE: 'Team', USERS: [ann, bot] });
      return next('ONIMBOTJOINCHAT', 'C');
    },
    'ONIMBOTMESSAGEADD C': async () => {
      await rest('im.message.add', { DIALOG_ID: `chat${chat}`, MESSAGE: `[USER=${bot}]NewBot[/USER] hello` });
      return next('ONIMBOTMESSAGEADD', 'C');
    },
    'ONIMBOTMESSAGEUPDATE C': async () => {
      const id = await rest('im.message.add', { DIALOG_ID: `chat${chat}`, MESSAGE: `[USER=${bot}]NewBot[/USER] typo` });
      await rest('im.message.update', { MESSAGE_ID: id, MESSAGE: `[USER=${bot}]NewBot[/USER] fixed` });
      return next('ONIMBOTMESSAGEUPDATE', 'C');
    },
    'ONIMBOTMESSAGEDELETE C': async () => {
      const id = await rest('im.message.add', { DIALOG_ID: `chat${chat}`, MESSAGE: `[USER=${bot}]NewBot[/USER] oops` });
      await rest('im.message.delete', { MESSAGE_ID: id });
      return next('ONIMBOTMESSAGEDELETE', 'C');
    },
    'ONIMCOMMANDADD C': async () => {
      await rest('im.message.add', { DIALOG_ID: `chat${chat}`, MESSAGE: '/echo hi' });
      return next('ONIMCOMMANDADD', 'C');
    },
    'ONIMBOTDELETE C': async () => {
      await rest('imbot.unregister', { BOT_ID: bot }, true);
      for (;;) {
        const found = handler.received.find((r) => r.form.event === 'ONIMBOTDELETE');
        if (found) return found;
        await handler.waitFor(handler.received.length + 1);
      }
    },
  };

  // The pages' order would unregister the bot first: personal dialogs, then the group chat, the bot's end last.
  const order = Object.keys(scenes);
  const events = [...fixture.events].sort((a, b) => order.indexOf(sceneOf(a)) - order.indexOf(sceneOf(b)));
  for (const example of events) {
    it(`${example.body.event} ${example.tab || ''} (${example.page.split('/').pop()})`, async () => {
      const got = await scenes[sceneOf(example)]();
      extra = example.extraKeys ?? {};
      assertForm(got.form, example.body, 'body');
    });
  }
});

function sceneOf(example: { tab: string; body: any }): string {
  return `${example.body.event} ${example.tab.startsWith('Personal') ? 'P' : 'C'}`;
}
