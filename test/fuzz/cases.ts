import fc from 'fast-check';
import qs from 'qs';
import type { World } from './world.ts';

/** How a case travels: the encodings clients use, and the broken ones they send by mistake. */
export type Encoding = 'json' | 'form' | 'query' | 'multipart' | 'bad-json' | 'wrong-type';

export interface FuzzCase {
  encoding: Encoding;
  params: Record<string, unknown>;
  /** Sent with the OAuth token (`auth`) instead of the webhook: application-only methods need it. */
  oauth: boolean;
}

// Names the platform's methods share: a case may carry them whether or not the method reads them (extra params).
const COMMON = ['BOT_ID', 'CLIENT_ID', 'DIALOG_ID', 'CHAT_ID', 'MESSAGE_ID', 'USER_ID', 'ID', 'botId', 'botToken'];

const huge = (n: number) => fc.constantFrom('x'.repeat(n), 'я'.repeat(n), '😀'.repeat(n / 2));
/** Random characters: PostgreSQL compresses a repeated one under its index row limit, but not these. */
const hugeRandom = fc.string({ minLength: 6000, maxLength: 6000, unit: 'grapheme-ascii' });

/**
 * Params whose values go into indexed text columns (the migrations' indexes: bot and command codes, applications,
 * chat entities, handler URLs, connectors, e-mails, tokens): drawn huge and random more often, so a missing length
 * check shows as PostgreSQL's "index row size exceeds" (test/wire/indexed-lengths.test.ts).
 */
const INDEXED = new Set(
  ['CODE', 'CLIENT_ID', 'COMMAND', 'ENTITY_TYPE', 'ENTITY_ID', 'EMAIL', 'HANDLER', 'AUTH_CONNECTOR', 'BOTTOKEN'].concat(
    ['EVENT_HANDLER', 'EVENT_MESSAGE_ADD', 'EVENT_COMMAND_ADD', 'WEBHOOKURL', 'ENTITYTYPE', 'ENTITYID'],
  ),
);
const controlChars = fc
  .array(fc.integer({ min: 0, max: 0x1f }), { minLength: 1, maxLength: 8 })
  .map((codes) => String.fromCharCode(...codes));
const overflowing = fc.constantFrom(
  2 ** 31,
  -(2 ** 31) - 1,
  2 ** 53 + 2,
  1e308,
  -1e308,
  '99999999999999999999999',
  '9007199254740993',
  '1e308',
  '-0',
  '0x10',
  '1.5',
  'NaN',
  'Infinity',
);
const awkward = fc.constantFrom('', ' ', 'Y', 'N', 'true', 'null', '[]', '{}', '\u0000', 'a\u0000b', '\ud800', '%00');

/** Values for one param: valid-looking ones (so calls get deep), wrong types, and hostile ones. */
function value(world: World, name = ''): fc.Arbitrary<unknown> {
  const base = anyValue(world);
  const key = name.slice(name.lastIndexOf('.') + 1).toUpperCase();
  return INDEXED.has(key) ? fc.oneof({ weight: 2, arbitrary: base }, { weight: 1, arbitrary: hugeRandom }) : base;
}

function anyValue(world: World): fc.Arbitrary<unknown> {
  const valid = fc.constantFrom<unknown>(
    world.botId,
    world.v2BotId,
    world.chatId,
    `chat${world.chatId}`,
    world.messageId,
    world.foreignChatId,
    world.foreignBotId,
    1,
    '1',
    world.clientId,
    world.v2Token,
    'http://127.0.0.1:9/handler',
  );
  const scalar = fc.oneof(
    { weight: 4, arbitrary: valid },
    { weight: 2, arbitrary: fc.string() },
    { weight: 1, arbitrary: fc.string({ unit: 'binary' }) },
    { weight: 1, arbitrary: controlChars },
    { weight: 2, arbitrary: fc.integer() },
    { weight: 1, arbitrary: fc.double({ noNaN: true }) },
    { weight: 2, arbitrary: overflowing },
    { weight: 2, arbitrary: awkward },
    { weight: 1, arbitrary: fc.boolean() },
    { weight: 1, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: huge(70_000) },
  );
  return fc.oneof(
    { weight: 6, arbitrary: scalar },
    { weight: 1, arbitrary: fc.array(scalar, { maxLength: 5 }) },
    { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 8 }), scalar, { maxKeys: 4 }) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
    { weight: 1, arbitrary: fc.constant(Array.from({ length: 2000 }, (_, i) => i)) },
  );
}

/** Nested names (`fields.message`) become nested objects. */
function place(params: Record<string, unknown>, name: string, v: unknown): void {
  const dot = name.indexOf('.');
  if (dot === -1) {
    params[name] = v;
    return;
  }
  const head = name.slice(0, dot);
  const inner = params[head] && typeof params[head] === 'object' ? (params[head] as Record<string, unknown>) : {};
  inner[name.slice(dot + 1)] = v;
  params[head] = inner;
}

/** Cases for one method from the params it reads (`known`), common and random extra ones. */
export function caseFor(world: World, known: string[]): fc.Arbitrary<FuzzCase> {
  const names = [...new Set([...known, ...COMMON])];
  const pick = fc.subarray(names, { minLength: 0, maxLength: Math.min(names.length, 8) });
  const extra = fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), value(world), { maxKeys: 2 });
  return fc
    .record({
      chosen: pick.chain((chosen) =>
        fc.tuple(fc.constant(chosen), fc.tuple(...chosen.map((name) => value(world, name)))),
      ),
      extra,
      encoding: fc.constantFrom<Encoding>(
        'json',
        'json',
        'json',
        'form',
        'query',
        'multipart',
        'bad-json',
        'wrong-type',
      ),
      oauth: fc.boolean(),
    })
    .map(({ chosen: [chosen, values], extra, encoding, oauth }) => {
      const params: Record<string, unknown> = { ...extra };
      for (const [i, name] of chosen.entries()) place(params, name, values[i]);
      return { encoding, params, oauth };
    });
}

/** The HTTP request of a case, to `{base}{method}`. */
export function request(
  c: FuzzCase,
  world: World,
  webhook: string,
  method: string,
): { url: string; init: RequestInit } {
  const base = c.oauth ? world.oauth.base : webhook;
  const params = c.oauth ? { ...c.params, auth: world.oauth.token } : c.params;
  const url = `${base}${encodeURIComponent(method)}`;
  switch (c.encoding) {
    case 'json':
      return {
        url,
        init: { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(params) },
      };
    case 'form':
      return {
        url,
        init: {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: qs.stringify(params),
        },
      };
    case 'query':
      return { url: `${url}?${qs.stringify(params)}`, init: { method: 'GET' } };
    case 'multipart': {
      const form = new FormData();
      for (const pair of qs.stringify(params, { encode: false }).split('&')) {
        if (!pair) continue;
        const eq = pair.indexOf('=');
        form.append(eq === -1 ? pair : pair.slice(0, eq), eq === -1 ? '' : pair.slice(eq + 1));
      }
      return { url, init: { method: 'POST', body: form } };
    }
    case 'bad-json':
      return {
        url,
        init: { method: 'POST', headers: { 'content-type': 'application/json' }, body: `${JSON.stringify(params)}}{` },
      };
    case 'wrong-type':
      return {
        url,
        init: { method: 'POST', headers: { 'content-type': 'application/xml' }, body: JSON.stringify(params) },
      };
  }
}
