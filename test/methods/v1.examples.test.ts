import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { oauthServer } from '../../src/oauth/index.ts';
import { HANDLER } from '../helpers/bots.ts';
import { startTestServer, type TestServer } from '../helpers/harness.ts';

// Every request example of the v1 pages — each tab (cURL webhook and OAuth, JS, PHP, BX24.js, CRest, Go) its own
// case — sent over the transport its tab uses (JSON body, form body, query), with the ids the docs made up (BOT_ID
// 39, chat123, MESSAGE_ID 19880117, …) replaced by ones made for the case, and each answer held against the page:
// the documented answer's keys, their order, value types and date formats, or, for the examples the docs got wrong
// and the answers where the platform stands over the page (`expect` in the fixture, with the reason), that answer
// exactly. The fixture is made by test/fixtures/v1-examples.extract.mjs; `docs` names the commit.

export interface Case {
  id: string;
  section: 'imbot' | 'im' | 'common' | 'oauth';
  page: string;
  tab: string;
  method?: string;
  auth?: 'webhook' | 'oauth';
  encoding?: 'json' | 'form' | 'query';
  params?: Record<string, unknown>;
  raw?: string;
  url?: string;
  query?: Record<string, string>;
  answer?: Record<string, unknown>;
  status?: number;
  errors?: { code: string; description: string }[];
  broken?: string;
  /** The example passes a variable: what an earlier call of its page returned (offline events' process_id). */
  chained?: string;
  expect?: { status: number; error?: string; description?: string; reason: string };
}

export const fixture: { docs: string; cases: Case[]; events: { page: string; tab: string; body: any }[] } = JSON.parse(
  readFileSync(new URL('../fixtures/v1-examples.json', import.meta.url), 'utf8'),
);

const kind = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
/** The documented value is a date or time: ours must be written the same way (digits for digits). */
const DATE = /^\d{4}-\d\d-\d\d[T ]\d\d:\d\d|^\d\d\.\d\d\.\d{4}/;
const format = (s: string) =>
  s
    .replace(/\d/g, '9')
    .replace(/[+-]99:99$/, '±99:99')
    .replace(/Z$/, '±99:99');

/**
 * The documented answer's shape in ours: every documented key present, in the documented order, each value of the
 * same JSON type (documented null: any), dates in the documented format. `loose` names keys whose value the example
 * shows for a state this case does not have (a list the example shows full, ours empty, is fine anyway).
 */
export function assertShape(ours: unknown, documented: unknown, path: string): void {
  if (documented === null || ours === null) return;
  // The pages write these three ways — user.get `{}`, user.current "2024-07-23 08:08:50", batch
  // "24.08.2023 13:19:39" — and this server writes ISO 8601 (docs/decisions.md, Users): present, a string.
  if (/\.(TIMESTAMP_X|LAST_ACTIVITY_DATE)$/.test(path)) {
    assert.equal(typeof ours, 'string', path);
    return;
  }
  // PHP writes an empty map as []: either side may be an empty array where the other is an object.
  if (Array.isArray(ours) && !ours.length && kind(documented) === 'object') return;
  if (Array.isArray(documented) && !documented.length && kind(ours) === 'object') return;
  // `false` stands for "none" in the docs' compound types (date or false, object or false).
  if ((documented === false && kind(ours) !== 'boolean') || (ours === false && kind(documented) !== 'boolean')) return;
  assert.equal(
    kind(ours),
    kind(documented),
    `${path}: ${JSON.stringify(ours)} vs documented ${JSON.stringify(documented)}`,
  );
  if (typeof documented === 'string' && DATE.test(documented) && ours) {
    assert.equal(format(ours as string), format(documented), `${path}: ${ours} is not written like ${documented}`);
  }
  if (Array.isArray(documented)) {
    if (documented.length && (ours as unknown[]).length)
      assertShape((ours as unknown[])[0], documented[0], `${path}[0]`);
    return;
  }
  if (kind(documented) !== 'object') return;
  const mine = ours as Record<string, unknown>;
  for (const [key, value] of Object.entries(documented as Record<string, unknown>)) {
    assert.ok(key in mine, `${path}.${key} is missing: ${JSON.stringify(ours).slice(0, 400)}`);
    assertShape(mine[key], value, `${path}.${key}`);
  }
  // Keys in the documented order (numeric keys are ids, their order is the data's).
  const documentedKeys = Object.keys(documented as object).filter((k) => !/^\d+$/.test(k));
  const ourOrder = Object.keys(mine).filter((k) => documentedKeys.includes(k));
  assert.deepEqual(ourOrder, documentedKeys, `${path}: keys out of the documented order`);
}

/** `a[b][c]=v` pairs, as BX24.js and CRest encode a request (PHP's http_build_query). */
export function phpQuery(value: unknown, prefix = ''): [string, string][] {
  if (value === null || value === undefined) return [];
  if (typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => phpQuery(v, prefix ? `${prefix}[${k}]` : k));
  }
  return [[prefix, value === true ? '1' : value === false ? '0' : String(value)]];
}

/** Sends a request the way its tab does: JSON body, form body or query string. */
export async function send(
  url: string,
  encoding: Case['encoding'],
  params: Record<string, unknown>,
  raw?: string,
): Promise<{ status: number; type: string; text: string; body: any }> {
  let res: Response;
  if (raw !== undefined) {
    res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: raw });
  } else if (encoding === 'query') {
    res = await fetch(`${url}?${new URLSearchParams(phpQuery(params))}`);
  } else if (encoding === 'form') {
    res = await fetch(url, { method: 'POST', body: new URLSearchParams(phpQuery(params)) });
  } else {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(params),
    });
  }
  const text = await res.text();
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, type: res.headers.get('content-type') ?? '', text, body };
}

/** The answer against the page: the fixture's `expect`, a clean error for a broken example, else the documented answer. */
export function assertAnswer(example: Case, res: { status: number; body: any; text: string }): void {
  const shown = `${example.id}: ${res.status} ${res.text.slice(0, 600)}`;
  assert.ok(res.status < 500, shown);
  assert.ok(res.body && typeof res.body === 'object', shown);
  if (example.expect) {
    assert.equal(res.status, example.expect.status, shown);
    assert.equal(res.body.error, example.expect.error, shown);
    if (example.expect.description !== undefined) {
      assert.equal(res.body.error_description, example.expect.description, shown);
    }
    if (example.expect.error) {
      assert.equal(typeof res.body.error_description, 'string', shown);
      assert.deepEqual(Object.keys(res.body), ['error', 'error_description'], shown);
    }
    return;
  }
  if (example.broken) {
    // Whatever a broken example gets, it is a Bitrix24 answer: a result, or an error with its description.
    if (res.body.error !== undefined) assert.deepEqual(Object.keys(res.body), ['error', 'error_description'], shown);
    else assert.ok('result' in res.body, shown);
    return;
  }
  assert.equal(res.status, 200, shown);
  assert.equal(res.body.error, undefined, shown);
  if (example.method === 'batch') {
    // The page's one answer is its second example's (get_user, get_department): each example's commands name its
    // own keys, and department.get is outside this server. The envelope and get_user, where both have it, are held.
    const documented = example.answer?.result as Record<string, any>;
    const envelope = Object.fromEntries(Object.keys(documented).map((k) => [k, {}]));
    assertShape(res.body.result, envelope, 'result');
    if (res.body.result.result.get_user)
      assertShape(res.body.result.result.get_user, documented.result.get_user, 'get_user');
  } else if (example.answer && 'result' in example.answer)
    assertShape(res.body.result, example.answer.result, 'result');
  if (example.answer && 'time' in example.answer) assertShape(res.body.time, example.answer.time, 'time');
  if (example.answer) {
    for (const key of ['total', 'next'])
      if (key in example.answer && key in res.body) assertShape(res.body[key], example.answer[key], key);
  }
}

// ---- the world each case runs in ----

const CLIENT_ID = 'app.examples';
/** The docs' placeholders of a webhook's CLIENT_ID and an access token. */
const PLACEHOLDER = /^\*\*put_.*_here\*\*$/;

interface World {
  server: TestServer;
  token: string;
  oauthBase: string;
  people: { ann: number; bob: number; carl: number };
}

async function makeWorld(): Promise<World> {
  const server = await startTestServer({ features: [oauthServer] });
  const app = await server.app.domain.identities.createApp({ clientId: CLIENT_ID });
  const grant = await server.app.domain.identities.issueTokens(app, 1);
  const users = server.app.domain.users;
  const ann = (await users.create({ name: 'Anna', last_name: 'Ivanova' })).id;
  const bob = (await users.create({ name: 'Bob', last_name: 'Petrov' })).id;
  const carl = (await users.create({ name: 'Carl', last_name: 'Jansen' })).id;
  return { server, token: grant.access_token, oauthBase: `${server.url}/rest/`, people: { ann, bob, carl } };
}

/** What a case needs made before it runs, as the page's reader would have it: a bot, its chat, messages. */
interface Made {
  bot?: number;
  chat?: number;
  botMessage?: number;
  userMessage?: number;
  command?: number;
  commandMessage?: number;
  keyboardMessage?: number;
  entityId?: string;
  /** event.offline.get's answer (clear=0) for the chained examples: the process and its events' ids. */
  offline?: { process_id: string; events: { ID: string | number }[] };
}

let serial = 0;

/** Calls a method over the case's transport (JSON), for set-up. */
async function setupCall(w: World, example: Case, method: string, params: Record<string, unknown>) {
  const oauth = example.auth === 'oauth';
  const res = await send(
    `${oauth ? w.oauthBase : w.server.webhook}${method}`,
    'json',
    oauth ? { ...params, auth: w.token } : { ...params, CLIENT_ID },
  );
  assert.equal(res.status, 200, `set-up ${method}: ${res.text}`);
  return res.body.result;
}

async function make(w: World, example: Case): Promise<Made> {
  const made: Made = {};
  const method = example.method ?? '';
  const { ann, bob } = w.people;
  if (example.chained) {
    // An offline event to reserve: a message to the application's bot, ONIMBOTMESSAGEADD bound offline.
    await send(`${w.oauthBase}event.bind`, 'json', {
      event: 'ONIMBOTMESSAGEADD',
      event_type: 'offline',
      auth: w.token,
    });
    made.bot = await setupCall(w, example, 'imbot.register', {
      CODE: `offline_${serial}`,
      EVENT_HANDLER: HANDLER,
      PROPERTIES: { NAME: 'Offline' },
    });
    await send(`${w.server.webhook}im.message.add`, 'json', { DIALOG_ID: made.bot, MESSAGE: 'Hello' });
    made.offline = await setupCall(w, example, 'event.offline.get', { clear: 0 });
    assert.ok(made.offline?.events.length, `no offline event to reserve: ${JSON.stringify(made.offline)}`);
    return made;
  }
  const needsBot = method.startsWith('imbot.') || method === 'im.message.command';
  if (!needsBot && !method.startsWith('im.')) return made;
  const domain = w.server.app.domain;
  if (needsBot && method !== 'imbot.register' && method !== 'imbot.bot.list') {
    serial++;
    made.bot = await setupCall(w, example, 'imbot.register', {
      CODE: `example_${serial}`,
      EVENT_HANDLER: HANDLER,
      PROPERTIES: { NAME: `Example ${serial}` },
    });
  }
  if (method.startsWith('imbot.') && made.bot) {
    // The chat the examples name: another colour than theirs, the entity imbot.chat.get looks for.
    const entity: Record<string, unknown> = {};
    if (method === 'imbot.chat.get') {
      made.entityId = `${example.params?.ENTITY_ID}_${serial}`;
      Object.assign(entity, { ENTITY_TYPE: example.params?.ENTITY_TYPE, ENTITY_ID: made.entityId });
    }
    made.chat = await setupCall(w, example, 'imbot.chat.add', {
      BOT_ID: made.bot,
      USERS: [1, ann, bob],
      TITLE: 'Team',
      COLOR: 'MINT',
      ...entity,
    });
    // The owner cannot leave: the chat imbot.chat.leave leaves is someone else's.
    if (method === 'imbot.chat.leave') {
      await setupCall(w, example, 'imbot.chat.setOwner', { BOT_ID: made.bot, CHAT_ID: made.chat, USER_ID: ann });
    }
    made.botMessage = await setupCall(w, example, 'imbot.message.add', {
      BOT_ID: made.bot,
      DIALOG_ID: `chat${made.chat}`,
      MESSAGE: 'Hello from the bot',
    });
    if (method.startsWith('imbot.command.')) {
      made.command = await setupCall(w, example, 'imbot.command.register', {
        BOT_ID: made.bot,
        COMMAND: `cmd${serial}`,
        EVENT_COMMAND_ADD: HANDLER,
        LANG: [{ LANGUAGE_ID: 'en', TITLE: 'Command' }],
      });
      made.commandMessage = (
        await send(`${w.server.webhook}im.message.add`, 'json', {
          DIALOG_ID: `chat${made.chat}`,
          MESSAGE: `/cmd${serial} topic`,
        })
      ).body.result;
    }
    return made;
  }
  // The im.* pages: a chat of the caller (user 1) with two people, a message of each. The owner cannot leave: the
  // chat im.chat.leave leaves is someone else's.
  const owner = method === 'im.chat.leave' ? ann : 1;
  const chat = await domain.chats.create({ type: 'C', title: 'Team', authorId: owner, users: [1, ann, bob] });
  made.chat = chat.id;
  made.userMessage = (
    await send(`${w.server.webhook}im.message.add`, 'json', { DIALOG_ID: `chat${chat.id}`, MESSAGE: 'Hello' })
  ).body.result;
  if (method === 'im.message.command' && made.bot) {
    await domain.chats.addUsers(chat.id, [made.bot], false);
    await setupCall(w, example, 'imbot.command.register', {
      BOT_ID: made.bot,
      COMMAND: example.params?.COMMAND,
      EVENT_COMMAND_ADD: HANDLER,
      LANG: [{ LANGUAGE_ID: 'en', TITLE: 'Task' }],
    });
    made.keyboardMessage = await setupCall(w, example, 'imbot.message.add', {
      BOT_ID: made.bot,
      DIALOG_ID: `chat${chat.id}`,
      MESSAGE: 'Pick one',
      KEYBOARD: [{ TEXT: 'Task', COMMAND: 'task', COMMAND_PARAMS: '1', BOT_ID: made.bot }],
    });
  }
  return made;
}

/** The example's made-up ids replaced by the case's, key by key. */
function realParams(w: World, example: Case, made: Made): Record<string, unknown> {
  const method = example.method ?? '';
  const { ann, bob, carl } = w.people;
  const person = (value: unknown) => (Number(value) === 1 ? 1 : ann);
  const messageId = () => {
    if (method === 'imbot.command.answer') return made.commandMessage;
    if (method === 'im.message.command') return made.keyboardMessage;
    if (method.startsWith('imbot.')) return made.botMessage;
    return made.userMessage;
  };
  const walk = (value: unknown, key: string, parent: string): unknown => {
    if (Array.isArray(value)) return value.flatMap((v) => walk(v, key, parent));
    if (value && typeof value === 'object' && '$expr' in value && made.offline) {
      // A chained example's variable: the process event.offline.get reserved, its events' ids.
      return key === 'process_id' ? made.offline.process_id : made.offline.events.map((e) => e.ID);
    }
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, k, key)]));
    }
    if (typeof value === 'string' && PLACEHOLDER.test(value)) {
      if (key === 'auth') return w.token;
      if (key === 'CLIENT_ID') return CLIENT_ID;
      return value;
    }
    switch (key) {
      case 'BOT_ID':
        return made.bot ?? value;
      case 'CHAT_ID':
        return made.chat ?? value;
      case 'DIALOG_ID':
        return typeof value === 'string' && /^chat\d+$/.test(value) ? `chat${made.chat}` : person(value);
      case 'USER_ID':
        return method === 'imbot.chat.user.delete' ? bob : person(value);
      case 'USERS':
        return method.endsWith('chat.user.add') ? carl : person(value);
      case 'MESSAGE_ID':
      case 'REPLY_ID':
        return parent === '' || parent === 'MESSAGE_ID' ? messageId() : value;
      case 'FIRST_ID':
      case 'LAST_ID':
        return 0;
      case 'COMMAND_ID':
        return made.command ?? value;
      case 'ENTITY_ID':
        return made.entityId ?? value;
      case 'EVENT_HANDLER':
      case 'EVENT_COMMAND_ADD':
      case 'EVENT_MESSAGE_ADD':
      case 'EVENT_MESSAGE_UPDATE':
      case 'EVENT_MESSAGE_DELETE':
      case 'EVENT_WELCOME_MESSAGE':
      case 'EVENT_BOT_DELETE':
        return HANDLER;
      case 'handler':
        // One binding per case: the same event and handler bound twice is refused.
        return `${HANDLER}?case=${serial}`;
      case 'EMAIL':
        return method === 'user.add' ? `case${serial}.${value}` : value;
      default:
        return value;
    }
  };
  return walk(example.params ?? {}, '', '') as Record<string, unknown>;
}

/** Runs one case: makes its world, sends it, returns the answer. */
async function replay(w: World, example: Case) {
  serial++;
  const made = await make(w, example);
  let params = realParams(w, example, made);
  const oauth = example.auth === 'oauth';
  // The SDK tabs run in an application: the SDK adds the token (cURL OAuth tabs carry `auth` themselves).
  if (oauth && !example.tab.startsWith('cURL')) params = { ...params, auth: w.token };
  if (example.method === 'imbot.register' || example.method === 'imbot.update') {
    // One CODE per application: each tab registers its own bot.
    serial++;
    const fields = (params.FIELDS ?? params) as Record<string, unknown>;
    if (typeof fields.CODE === 'string') fields.CODE = `${fields.CODE}_${serial}`;
  }
  const base = oauth ? w.oauthBase : w.server.webhook;
  const raw = example.raw?.replace('**put_access_token_here**', w.token);
  const res = await send(`${base}${example.method}`, example.encoding, params, raw);
  // An application has at most five bots: the case's go again.
  const bots = [made.bot, example.method === 'imbot.register' ? res.body?.result : undefined];
  for (const bot of bots.filter((b) => typeof b === 'number')) {
    const gone = await send(`${w.oauthBase}imbot.unregister`, 'json', { BOT_ID: bot, auth: w.token });
    if (gone.body?.error) await send(`${w.server.webhook}imbot.unregister`, 'json', { BOT_ID: bot, CLIENT_ID });
  }
  return res;
}

export function section(name: Case['section'], title: string): void {
  const cases = fixture.cases.filter((c) => c.section === name);
  describe(`${title} (${cases.length} examples of ${fixture.docs})`, () => {
    let w: World;
    before(async () => {
      w = await makeWorld();
    });
    after(() => w.server.close());
    for (const example of cases) {
      it(example.id.replace(/^api-reference\//, ''), async () => {
        const res = await replay(w, example);
        assertAnswer(example, res);
      });
    }
  });
}

/**
 * The OAuth pages' URLs, in the order of the flow they describe: the sign-in page, the redirect back to the
 * application (its query keys are the page's), the code exchanged for tokens, a REST call with `?auth=`, the renewal.
 */
function oauthPages(): void {
  const cases = fixture.cases.filter((c) => c.section === 'oauth');
  const step = (c: Case) => {
    const url = c.url ?? '';
    if (url.endsWith('/oauth/authorize/')) return 0;
    if (url.includes('applicationhost')) return 1;
    if (c.query?.grant_type === 'authorization_code') return 2;
    if (url.includes('/rest/')) return 3;
    return 4;
  };
  describe(`OAuth pages (${cases.length} URLs of ${fixture.docs})`, () => {
    let server: TestServer;
    const got: { code?: string; access?: string; refresh?: string } = {};
    const SECRET = 'LJSl0lNB76B5YY6u0YVQ3AW0DrVADcRTwVr4y99PXU1BWQybWK';
    const CLIENT = 'app.573ad8a0346747.09223434';
    before(async () => {
      server = await startTestServer({ features: [oauthServer] });
      await server.app.domain.identities.createApp({
        clientId: CLIENT,
        clientSecret: SECRET,
        scopes: ['imbot', 'im', 'user'],
        redirectUri: 'http://127.0.0.1:9/application/',
      });
    });
    after(() => server.close());
    for (const example of [...cases].sort((a, b) => step(a) - step(b))) {
      it(example.id, async () => {
        const query = { ...example.query };
        const path = new URL(example.url!).pathname;
        switch (step(example)) {
          case 0: {
            // The portal's sign-in page for the docs' client_id and state.
            const res = await fetch(`${server.url}${path}?${new URLSearchParams(query)}`, { redirect: 'manual' });
            assert.equal(res.status, 200);
            assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
            return;
          }
          case 1: {
            // Signed in (user_id, the development shortcut), the browser goes back with the page's query keys.
            const res = await fetch(
              `${server.url}/oauth/authorize/?${new URLSearchParams({ client_id: CLIENT, state: query.state!, user_id: '1' })}`,
              { redirect: 'manual' },
            );
            assert.equal(res.status, 302);
            const back = new URL(res.headers.get('location')!);
            assert.deepEqual([...back.searchParams.keys()], Object.keys(query));
            assert.equal(back.searchParams.get('state'), query.state);
            got.code = back.searchParams.get('code')!;
            return;
          }
          case 2:
          case 4: {
            if (query.code) query.code = got.code!;
            if (query.refresh_token) query.refresh_token = got.refresh!;
            const res = await send(`${server.url}${path}`, 'query', query);
            assert.equal(res.status, 200, res.text);
            assertShape(res.body, example.answer, 'answer');
            got.access = res.body.access_token;
            got.refresh = res.body.refresh_token;
            return;
          }
          default: {
            const res = await send(`${server.url}${path}`, 'query', { auth: got.access! });
            assertAnswer(example, res);
          }
        }
      });
    }
  });
}

section('imbot', 'chat-bot v1 pages');
section('im', 'chat pages');
section('common', 'common methods');
oauthPages();

it('the README states the counts of the fixtures (written by the extractor)', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const v2 = JSON.parse(readFileSync(new URL('../fixtures/v2-examples.json', import.meta.url), 'utf8'));
  assert.ok(readme.includes(readmeCounts(v2.examples.length, fixture.cases.length, fixture.events.length)));
});

/** The README's sentence; test/fixtures/v1-examples.extract.mjs writes the same. */
function readmeCounts(v2: number, v1: number, events: number): string {
  return `The docs' ${v2} v2 cURL examples, ${v1} v1 request examples (every tab of the chat-bot v1, chat, common-method and OAuth pages) and ${events} v1 event bodies run in the test suite.`;
}
