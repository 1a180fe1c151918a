import { readFile } from 'node:fs/promises';
import { AdminOperations, type Input } from './admin/operations.ts';
import type { App } from './app.ts';
import { ConfigError } from './config/config-error.ts';
import type { Caller } from './domain/caller.ts';
import type { WebhookRow } from './domain/identities.ts';
import { WEB_CLIENT_ID } from './web/index.ts';
import type { Params } from './wire/params/nest.ts';

/**
 * A start state in a file (`--fixtures file.yaml|json`, schema docs/fixtures.schema.json). Ids follow the order of
 * the lists on an empty store: the first user is 2 (1 is the administrator), the first chat 1, and so on.
 */
export interface Fixtures {
  users?: Input[];
  webhooks?: Input[];
  apps?: (Input & { tokens?: { user_id: number; access_token: string; refresh_token: string }[] })[];
  bots?: {
    code: string;
    name: string;
    type?: string;
    handler: string;
    /** client_id of a fixture application; absent: registered through the start webhook (`custom{client_id}`). */
    app?: string;
    /** CLIENT_ID of a bot registered through the webhook (default: its code). */
    client_id?: string;
  }[];
  chats?: { title: string; owner?: number; members?: number[]; description?: string }[];
  messages?: { from: number; dialogId: string; text: string }[];
}

const SECTIONS = ['users', 'webhooks', 'apps', 'bots', 'chats', 'messages'];

/** Reads and shape-checks a fixtures file; what is wrong is a ConfigError naming the file and the place. */
export async function readFixtures(file: string): Promise<Fixtures> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`--fixtures ${file}: ${(error as Error).message}`);
  }
  let data: unknown;
  try {
    data = /\.json$/i.test(file) ? JSON.parse(text) : (await import('yaml')).parse(text);
  } catch (error) {
    throw new ConfigError(`--fixtures ${file}: ${(error as Error).message}`);
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    throw new ConfigError(`--fixtures ${file}: the file must hold an object with ${SECTIONS.join(', ')}`);
  }
  for (const [key, value] of Object.entries(data)) {
    if (!SECTIONS.includes(key)) throw new ConfigError(`--fixtures ${file}: unknown section ${key}`);
    if (!Array.isArray(value) || value.some((item) => !item || typeof item !== 'object' || Array.isArray(item))) {
      throw new ConfigError(`--fixtures ${file}: ${key} must be a list of objects`);
    }
  }
  return data as Fixtures;
}

/**
 * Makes the fixtures exist, each through the path a client would take (the admin operations for people, webhooks
 * and apps; imbot.register, im.chat.add and the message methods for the rest), so they carry every side effect.
 */
export async function loadFixtures(fixtures: Fixtures, app: App, webhook: WebhookRow): Promise<void> {
  const { domain } = app;
  const ops = new AdminOperations(domain, () => app.baseUrl());
  const at = async <T>(where: string, work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      const message = (error as { description?: string }).description || (error as Error).message;
      throw new ConfigError(`fixtures ${where}: ${message}`);
    }
  };
  const call = async (caller: Caller, method: string, params: Params) => {
    const outcome = await app.services.invoke(method, params, caller);
    if (!outcome.ok) throw new Error(`${method}: ${outcome.error} ${outcome.error_description}`);
    return outcome.result;
  };
  const asAdminOf = async (clientId: string) => {
    const row = await domain.identities.appByClientId(clientId);
    if (!row) throw new Error(`no application ${clientId} among the apps`);
    return domain.identities.callerThrough(row, 1);
  };
  const viaWebhook = () => domain.identities.webhookCaller(String(webhook.user_id), webhook.token);

  for (const [i, user] of (fixtures.users ?? []).entries()) await at(`users[${i}]`, () => ops.createUser(user));
  for (const [i, hook] of (fixtures.webhooks ?? []).entries())
    await at(`webhooks[${i}]`, () => ops.createWebhook(hook));
  for (const [i, { tokens = [], ...input }] of (fixtures.apps ?? []).entries()) {
    await at(`apps[${i}]`, async () => {
      const made = await ops.createApp(input);
      const row = (await domain.identities.appByClientId(made.client_id))!;
      for (const t of tokens) {
        await domain.identities.issueTokens(row, Number(t.user_id), {
          access: t.access_token,
          refresh: t.refresh_token,
        });
      }
    });
  }
  const botApps = new Map<number, string | undefined>();
  for (const [i, bot] of (fixtures.bots ?? []).entries()) {
    await at(`bots[${i}]`, async () => {
      const caller = bot.app ? await asAdminOf(bot.app) : await viaWebhook();
      const params: Params = {
        CODE: bot.code,
        TYPE: bot.type ?? 'B',
        EVENT_HANDLER: bot.handler,
        PROPERTIES: { NAME: bot.name },
        // Through a webhook a bot needs a CLIENT_ID (its application custom{CLIENT_ID}); its code serves by default.
        ...(bot.app ? {} : { CLIENT_ID: bot.client_id ?? bot.code }),
      };
      botApps.set(Number(await call(caller, 'imbot.register', params)), bot.app);
    });
  }
  for (const [i, chat] of (fixtures.chats ?? []).entries()) {
    await at(`chats[${i}]`, async () => {
      const web = await webCaller(app, chat.owner ?? 1);
      await call(web, 'im.chat.add', {
        TITLE: chat.title,
        DESCRIPTION: chat.description ?? '',
        USERS: (chat.members ?? []).filter((id) => id !== (chat.owner ?? 1)),
      });
    });
  }
  for (const [i, message] of (fixtures.messages ?? []).entries()) {
    await at(`messages[${i}]`, async () => {
      const author = await domain.users.get(message.from);
      if (!author) throw new Error(`no user ${message.from}`);
      if (!author.is_bot) {
        await call(await webCaller(app, author.id), 'im.message.add', {
          DIALOG_ID: message.dialogId,
          MESSAGE: message.text,
        });
        return;
      }
      const bot = await domain.bots.get(author.id);
      const clientId = botApps.get(author.id);
      const caller = clientId ? await asAdminOf(clientId) : await viaWebhook();
      const own = bot?.client_id ? { CLIENT_ID: bot.client_id } : {};
      await call(caller, 'imbot.message.add', {
        BOT_ID: author.id,
        DIALOG_ID: message.dialogId,
        MESSAGE: message.text,
        ...own,
      });
    });
  }
}

/** A person acting through the web messenger's application, as when they use the page. */
async function webCaller(app: App, userId: number): Promise<Caller> {
  const web = await app.domain.identities.appByClientId(WEB_CLIENT_ID);
  if (!web) throw new Error('the web messenger is off: fixtures need it for chats and messages');
  return app.domain.identities.callerThrough(web, userId);
}
