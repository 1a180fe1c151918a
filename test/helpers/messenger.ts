import assert from 'node:assert/strict';
import type { BotEvent } from '../../src/domain/events.ts';
import type { PullCommand, Recipients } from '../../src/realtime/hub.ts';
import type { TestServer } from './harness.ts';

/** A handler URL nobody listens on: the messenger tests read events from the memory sink. */
export const HANDLER = 'http://127.0.0.1:9/handler';

/** A person with a webhook of their own: `call` acts as them. */
export interface Person {
  id: number;
  call(method: string, params?: Record<string, unknown>): Promise<{ status: number; body: any }>;
}

export async function person(server: TestServer, name: string, lastName = ''): Promise<Person> {
  const user = await server.app.domain.users.create({ name, last_name: lastName });
  const hook = await server.app.domain.identities.createWebhook(user.id, [], `hook${user.id}x`);
  const base = `${server.url}/rest/${user.id}/${hook.token}/`;
  return { id: user.id, call: (method, params = {}) => server.call(method, params, base) };
}

/** Registers a v1 bot of application `custom{clientId}` (all handlers unless `handlers` is given); returns its id. */
export async function registerBot(
  server: TestServer,
  clientId: string,
  code: string,
  extra: Record<string, unknown> = {},
): Promise<number> {
  const res = await server.call('imbot.register', {
    CODE: code,
    EVENT_HANDLER: HANDLER,
    PROPERTIES: { NAME: code, LAST_NAME: 'Bot' },
    CLIENT_ID: clientId,
    ...extra,
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.result;
}

/** Every Push & Pull command published, with its recipients. */
export function recordPulls(server: TestServer) {
  const list: { users: number[]; command: PullCommand }[] = [];
  server.app.services.hub.subscribe((command: PullCommand, recipients: Recipients) => {
    list.push({ users: 'users' in recipients ? recipients.users : [], command });
  });
  return {
    list,
    clear: () => {
      list.length = 0;
    },
    /** Commands named `name`, keyed by recipient. */
    named(name: string): Map<number, Record<string, any>> {
      const out = new Map<number, Record<string, any>>();
      for (const entry of list.filter((e) => e.command.command === name)) {
        for (const user of entry.users) out.set(user, entry.command.params);
      }
      return out;
    },
  };
}

/** Records every bot event the messenger emits, whichever sink the app has. */
export function recordEvents(server: TestServer): BotEvent[] {
  const sink = server.app.domain.events;
  const emit = sink.emit.bind(sink);
  const events: BotEvent[] = [];
  sink.emit = async (tx, event) => {
    await emit(tx, event);
    events.push(event);
  };
  return events;
}

export async function rowCount(server: TestServer, table: string): Promise<number> {
  const row = await server.db.one<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
  return row!.n;
}

/** Counts of the rows a messenger call may change, to prove a refused call changed nothing. */
export async function snapshot(server: TestServer, events: BotEvent[]): Promise<Record<string, unknown>> {
  const rows = await server.db.query(
    `SELECT (SELECT count(*)::int FROM messages) AS messages, (SELECT count(*)::int FROM chats) AS chats,
            (SELECT count(*)::int FROM chat_members) AS members, (SELECT count(*)::int FROM commands) AS commands,
            (SELECT coalesce(sum(length(params::text) + length(text)), 0)::int FROM messages) AS content,
            (SELECT coalesce(sum(last_read_id), 0)::int FROM chat_members) AS reads`,
  );
  return { ...rows[0], events: events.length };
}

export function assertError(res: { status: number; body: any }, status: number, code: string, description?: string) {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.equal(res.body.error, code, JSON.stringify(res.body));
  if (description !== undefined) assert.equal(res.body.error_description, description);
}
