import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { UserRow } from '../../src/domain/user-row.ts';
import { fileDownloads } from '../../src/files/file-downloads.ts';
import { startTestServer, type TestServer } from '../helpers/harness.ts';
import { v2OAuth } from '../helpers/v2.ts';

// Every cURL example of the Chatbots 2.0 pages (webhook and OAuth forms), replayed verbatim against the server, with
// the ids the docs made up (botId 456, chat5, messageId 789, …) replaced by real ones, and each answer compared
// with the page's documented answer: the same keys with values of the same types. The examples were taken out of
// the docs by test/fixtures/v2-examples.extract.mjs; `docs` in the fixture names the commit.

interface Example {
  source: string;
  method: string;
  form: 'webhook' | 'oauth';
  body: Record<string, unknown>;
  answer?: { result: unknown };
}

const fixture: { docs: string; examples: Example[] } = JSON.parse(
  readFileSync(new URL('../fixtures/v2-examples.json', import.meta.url), 'utf8'),
);

/** The order a bot's life takes: register first, the destructive calls last. */
const ORDER = [
  'imbot.v2.Revision.get',
  'imbot.v2.Bot.register',
  'imbot.v2.Bot.get',
  'imbot.v2.Bot.list',
  'imbot.v2.Bot.update',
  'imbot.v2.Chat.add',
  'imbot.v2.Chat.get',
  'imbot.v2.Chat.update',
  'imbot.v2.Chat.User.add',
  'imbot.v2.Chat.User.list',
  'imbot.v2.Chat.Manager.add',
  'imbot.v2.Chat.Manager.delete',
  'imbot.v2.Chat.InputAction.notify',
  'imbot.v2.Chat.TextField.enabled',
  'imbot.v2.Chat.Message.send',
  'imbot.v2.Chat.Message.update',
  'imbot.v2.Chat.Message.read',
  'imbot.v2.Chat.Message.get',
  'imbot.v2.Chat.Message.getContext',
  'imbot.v2.Chat.Message.Reaction.add',
  'imbot.v2.Chat.Message.Reaction.delete',
  'imbot.v2.Command.register',
  'imbot.v2.Command.update',
  'imbot.v2.Command.list',
  'imbot.v2.Command.answer',
  'im.v2.Event.subscribe',
  'imbot.v2.Event.get',
  'im.v2.Event.get',
  'imbot.v2.File.upload',
  'imbot.v2.File.download',
  'im.v2.File.upload',
  'im.v2.File.download',
  'im.v2.Event.unsubscribe',
  'imbot.v2.Chat.Message.delete',
  'imbot.v2.Chat.User.delete',
  'imbot.v2.Chat.setOwner',
  'imbot.v2.Chat.leave',
  'imbot.v2.Command.unregister',
  'imbot.v2.Bot.unregister',
];

/** Fields entities.md types as `X|null`: ours may be null where the example shows a value. */
const NULLABLE = new Set(['diskFolderId', 'parentChatId', 'parentMessageId', 'backgroundId', 'dateCreate', 'color']);
for (const key of ['lastMessageId', 'lastId', 'unreadId', 'markedId', 'date', 'forward']) NULLABLE.add(key);

/** The documented answer's shape in ours: every documented key, values of the same JSON type (null: any). */
function assertShape(ours: unknown, documented: unknown, path: string): void {
  if (documented === null) return;
  if (ours === null && NULLABLE.has(path.slice(path.lastIndexOf('.') + 1))) return;
  const kind = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
  // Compound types of entities.md: `false` stands for "none" in `string | boolean` and `object | boolean` fields
  // (lastActivityDate, idle, absent, phones, File `image`), so either side may be `false`.
  if ((documented === false && kind(ours) !== 'boolean') || (ours === false && kind(documented) !== 'boolean')) return;
  assert.equal(
    kind(ours),
    kind(documented),
    `${path}: ${JSON.stringify(ours)} vs documented ${JSON.stringify(documented)}`,
  );
  if (Array.isArray(documented) && documented.length && (ours as unknown[]).length) {
    assertShape((ours as unknown[])[0], documented[0], `${path}[0]`);
  } else if (kind(documented) === 'object') {
    for (const [key, value] of Object.entries(documented as Record<string, unknown>)) {
      assert.ok(key in (ours as object), `${path}.${key} is missing: ${JSON.stringify(ours)}`);
      assertShape((ours as Record<string, unknown>)[key], value, `${path}.${key}`);
    }
  }
}

/** One server where one form of the examples runs, in order, from registration to unregistration. */
function world(name: string, form: Example['form'], sources: (source: string) => boolean, token: string) {
  const examples = fixture.examples
    .filter((e) => e.form === form && sources(e.source))
    .sort((a, b) => ORDER.indexOf(a.method) - ORDER.indexOf(b.method));

  describe(name, () => {
    let server: TestServer;
    let auth = '';
    let base = '';
    let ann: UserRow;
    let bob: UserRow;
    const ids = {
      bot: 0,
      supervisor: 0,
      chat: 0,
      command: 0,
      commandMessage: 0,
      botMessage: 0,
      userMessage: 0,
      file: 0,
    };
    const say = async (text: string) => {
      const chat = (await server.app.domain.chats.get(ids.chat))!;
      const live = { origin: server.url };
      return (
        await server.app.domain.messenger.send({
          author: ann,
          byBot: false,
          target: { kind: 'chat', chat },
          text,
          extras: {},
          system: false,
          live,
        })
      ).id;
    };

    /** The made-up ids of the example replaced by real ones, key by key. */
    async function realBody(example: Example): Promise<Record<string, unknown>> {
      const method = example.method;
      const reader = method.endsWith('Message.get') || method.endsWith('Message.getContext');
      const users: Record<number, number> = { 1: 1, 2: ann.id, 3: bob.id, 4: ann.id, 5: bob.id };
      const messageIds: Record<string, () => number> = {
        'imbot.v2.Chat.Message.update': () => ids.botMessage,
        'imbot.v2.Chat.Message.delete': () => ids.botMessage,
        'imbot.v2.Command.answer': () => ids.commandMessage,
      };
      const offset = async () => {
        const polled = await server.app.domain.v2Events.poll({ botId: ids.bot }, undefined, 1);
        return polled.events[0]?.id ?? polled.nextOffset;
      };
      const walk = async (value: unknown, key: string): Promise<unknown> => {
        if (Array.isArray(value)) return Promise.all(value.map((v) => walk(v, key)));
        if (value && typeof value === 'object') {
          const out: Record<string, unknown> = {};
          for (const [k, v] of Object.entries(value)) out[k] = await walk(v, k);
          return out;
        }
        switch (key) {
          case 'botId':
          case 'BOT_ID':
            return reader ? ids.supervisor : ids.bot;
          case 'botToken':
            return token;
          case 'auth':
            return auth;
          case 'dialogId':
            return typeof value === 'string' && /^chat\d+$/.test(value) ? `chat${ids.chat}` : value;
          case 'userIds':
            return users[value as number];
          case 'userId':
            // Chat.User.delete removes someone other than the owner-to-be of Chat.setOwner.
            return method === 'imbot.v2.Chat.User.delete' ? bob.id : users[value as number];
          case 'messageId':
            return (messageIds[method] ?? (() => ids.userMessage))();
          case 'commandId':
            return ids.command;
          case 'fileId':
            return ids.file;
          case 'offset':
            return offset();
          default:
            return value;
        }
      };
      return (await walk(example.body, '')) as Record<string, unknown>;
    }

    /** What the examples before this one would have left behind on a real portal. */
    const setup: Record<string, () => Promise<void>> = {
      // quick-start.md sends into a chat it did not make: the bots' chat with the two people.
      'imbot.v2.Chat.Message.send': async () => {
        if (ids.chat) return;
        const { chats } = server.app.domain;
        ids.chat = (await chats.create({ type: 'C', title: 'Support', authorId: ids.bot, users: [ann.id, bob.id] })).id;
        await chats.addUsers(ids.chat, [ids.supervisor], false);
      },
      'imbot.v2.Chat.Message.read': async () => {
        ids.userMessage = await say('Hello! How are you?');
      },
      'imbot.v2.Chat.Message.get': async () => {
        ids.userMessage ||= await say('Hello! How are you?');
      },
      'imbot.v2.Command.answer': async () => {
        ids.commandMessage = await say('/help topic');
      },
    };

    before(async () => {
      server = await startTestServer({ features: [fileDownloads] });
      ann = await server.app.domain.users.create({ name: 'John', last_name: 'Smith' });
      bob = await server.app.domain.users.create({ name: 'Anna', last_name: 'Davis' });
      base = server.webhook;
      if (form === 'oauth') ({ auth, base } = await v2OAuth(server, `app.examples.${name}`));
    });
    after(() => server.close());

    const done = new Set<string>();
    for (const example of examples) {
      it(`${example.method} (${example.source.replace('api-reference/chat-bots/chat-bots-v2/', '')})`, async () => {
        if (!done.has(example.method)) {
          done.add(example.method);
          await setup[example.method]?.();
        }
        const res = await server.call(example.method, await realBody(example), base);
        assert.equal(res.status, 200, `${example.method}: ${JSON.stringify(res.body)}`);
        assert.equal(res.body.error, undefined);
        const result = res.body.result;
        // Keep the real ids the answers name for the examples that follow.
        if (example.method === 'imbot.v2.Bot.register') {
          ids.bot = result.bot.id;
          const supervisor = await server.call(
            'imbot.v2.Bot.register',
            {
              fields: { code: 'reader_bot', botToken: token, type: 'supervisor', properties: { name: 'Reader' } },
              auth,
            },
            base,
          );
          ids.supervisor = supervisor.body.result.bot.id;
        }
        if (example.method === 'imbot.v2.Chat.add') {
          ids.chat = result.chat.id;
          await server.app.domain.chats.addUsers(ids.chat, [ids.supervisor], false);
        }
        if (example.method === 'imbot.v2.Chat.Message.send' && !ids.botMessage) ids.botMessage = result.id;
        if (example.method === 'imbot.v2.Command.register') ids.command = result.command.id;
        if (example.method === 'imbot.v2.File.upload') ids.file = result.file.id;
        if (example.answer) assertShape(result, example.answer.result, 'result');
      });
    }
  });
}

describe(`Chatbots 2.0 examples of ${fixture.docs}`, () => {
  const pages = (source: string) => !source.endsWith('/quick-start.md');
  world('webhook', 'webhook', pages, 'my_bot_token');
  world('oauth', 'oauth', pages, '');
  world('quick-start', 'webhook', (source) => source.endsWith('/quick-start.md'), 'my_secret_token_123');
});
