import assert from 'node:assert/strict';
import type { Method } from '../../src/methods/define.ts';
import { oauthApp, registerBot } from '../helpers/bots.ts';
import type { TestServer } from '../helpers/harness.ts';
import { v2Register } from '../helpers/v2.ts';

/** What the fuzzer and the auth matrix call methods against: real rows their valid-looking values name. */
export interface World {
  botId: number;
  clientId: string;
  v2BotId: number;
  v2Token: string;
  chatId: number;
  messageId: number;
  /** A chat user 1 (the caller) is not a member of. */
  foreignChatId: number;
  /** A bot of another application. */
  foreignBotId: number;
  oauth: { token: string; base: string };
}

export async function buildWorld(server: TestServer): Promise<World> {
  const clientId = 'fz';
  const botId = await registerBot(server, clientId, 'fzbot');
  const foreignBotId = await registerBot(server, 'other', 'otherbot');
  const v2Token = 'fz-v2-token';
  const v2BotId = await v2Register(server, v2Token, 'fzv2');
  const chat = await server.call('imbot.chat.add', { BOT_ID: botId, CLIENT_ID: clientId, USERS: [1], TITLE: 'fz' });
  assert.equal(chat.status, 200, JSON.stringify(chat.body));
  const message = await server.call('im.message.add', { DIALOG_ID: `chat${chat.body.result}`, MESSAGE: 'fz' });
  const user = await server.call('user.add', { EMAIL: 'fz-other@example.com', NAME: 'Other', UF_DEPARTMENT: [1] });
  const other = await server.app.domain.identities.createWebhook(user.body.result, [], 'fzother');
  const foreign = await fetch(`${server.url}/rest/${user.body.result}/${other.token}/im.chat.add`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ TITLE: 'not yours', USERS: [user.body.result] }),
  });
  const foreignChat = (await foreign.json()) as { result: number };
  const oauth = await oauthApp(server, 'fz.app');
  return {
    botId,
    clientId,
    v2BotId,
    v2Token,
    chatId: chat.body.result,
    messageId: message.body.result,
    foreignChatId: foreignChat.result,
    foreignBotId,
    oauth,
  };
}

/**
 * Every param a method reads, learnt by watching it: the binder reads each declared param of `params` / `args`,
 * handlers read the rest, one level into nested objects (`fields.message`). Recorded for every call, so the
 * fuzzer's cases follow what the code actually reads.
 */
export function watchParams(methods: Method[]): Map<string, Set<string>> {
  const seen = new Map<string, Set<string>>();
  for (const method of methods) {
    const names = new Set<string>();
    seen.set(method.name, names);
    const run = method.run.bind(method);
    method.run = (call, services) => run({ ...call, raw: recording(call.raw, names, '') }, services);
  }
  return seen;
}

function recording(target: Record<string, unknown>, names: Set<string>, prefix: string): Record<string, unknown> {
  return new Proxy(target, {
    get(obj, key, receiver) {
      const value = Reflect.get(obj, key, receiver);
      if (typeof key !== 'string') return value;
      names.add(prefix + key);
      if (!prefix && value && typeof value === 'object' && !Array.isArray(value)) {
        return recording(value as Record<string, unknown>, names, `${key}.`);
      }
      return value;
    },
  });
}

/**
 * A cheap fingerprint of every table a call could write: a refused call must leave it as it was. A user's
 * `last_activity` is left out: any authenticated call notes it (once a minute), refused or not, as on a portal.
 */
export async function fingerprint(server: TestServer): Promise<string> {
  const tables = [
    'users',
    'webhooks',
    'apps',
    'bots',
    'chats',
    'chat_members',
    'messages',
    'commands',
    'event_handlers',
    'event_log',
    'event_offline',
    'files',
  ];
  const parts = tables.map(
    (t) =>
      `(SELECT count(*) || ':' || coalesce(md5(string_agg(md5(r), ',' ORDER BY md5(r))), '')
        FROM (SELECT (to_jsonb(x) - 'last_activity')::text AS r FROM ${t} x) y)`,
  );
  const row = await server.db.one<{ f: string }>(`SELECT concat_ws('/', ${parts.join(', ')}) AS f`);
  return row!.f;
}
