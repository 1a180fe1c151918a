import { type AppRow, CREDENTIAL, SCOPE_NAME, type TokenGrant, type WebhookRow } from '../domain/identities.ts';
import type { Domain } from '../domain/index.ts';
import type { UserRow } from '../domain/user-row.ts';
import { fullName, hashPassword } from '../domain/users.ts';
import { ApiError } from '../wire/errors.ts';

// What the admin API and the CLI can do, as plain data in and out. The admin API's routes and the CLI (when no
// server is running) call these same functions, so both answer the same JSON.

export type Input = Record<string, unknown>;

export interface AdminUser {
  id: number;
  name: string;
  last_name: string;
  email: string;
  login: string | null;
  is_admin: boolean;
  is_bot: boolean;
  active: boolean;
  date_register: Date;
}

export interface AdminWebhook {
  id: number;
  user_id: number;
  token: string;
  scopes: string[];
  title: string;
  /** Ready to use: `{base}/rest/{user_id}/{token}/`. */
  url: string;
  created_at: Date;
}

export interface AdminApp {
  id: number;
  client_id: string;
  client_secret: string;
  /** Sent as `auth[application_token]` with every event, for the app to check the sender. */
  application_token: string;
  scopes: string[];
  redirect_uri: string;
  title: string;
  installed: boolean;
  created_at: Date;
}

export interface AdminBot {
  id: number;
  code: string;
  type: string;
  name: string;
  /** The owning application: its client_id, or `custom{CLIENT_ID}` for bots registered through a webhook. */
  app_key: string;
  handlers: Record<string, string>;
  created_at: Date;
}

export class AdminOperations {
  constructor(
    private readonly domain: Domain,
    /** The server's base URL, for the webhook URLs. */
    private readonly baseUrl: () => string,
  ) {}

  async listUsers(): Promise<AdminUser[]> {
    return (await this.domain.users.list()).map(userOut);
  }

  /** `{name, last_name?, email?, login?, password?, admin?}`; the login defaults to the e-mail. */
  async createUser(input: Input): Promise<AdminUser> {
    const name = required(input, 'name');
    const email = text(input, 'email');
    if (email && !/^[^@\s]+@[^@\s]+$/.test(email)) throw invalid(`email ${email} is not an e-mail address`);
    const login = text(input, 'login') || email || undefined;
    const password = text(input, 'password');
    if (password && !login) throw invalid('a password needs a login or an email to sign in with');
    if (login && (await this.domain.users.byLogin(login))) throw invalid(`login ${login} is already taken`);
    const user = await this.domain.users.create({
      name,
      last_name: text(input, 'last_name') ?? '',
      email: email ?? '',
      login: login ?? null,
      password_hash: password ? hashPassword(password) : null,
      is_admin: flag(input, 'admin'),
    });
    return userOut(user);
  }

  async listWebhooks(): Promise<AdminWebhook[]> {
    return (await this.domain.identities.listWebhooks()).map((w) => this.webhookOut(w));
  }

  /** `{user_id, token?, scopes?, title?}`: an inbound webhook; no scopes = every scope. */
  async createWebhook(input: Input): Promise<AdminWebhook> {
    const userId = id(input, 'user_id');
    const user = await this.domain.users.get(userId);
    if (!user || user.is_bot) throw invalid(`user ${userId} does not exist or is a bot`);
    const token = text(input, 'token', { pattern: CREDENTIAL });
    const row = await this.domain.identities.createWebhook(userId, scopes(input), token, text(input, 'title') ?? '');
    return this.webhookOut(row);
  }

  async deleteWebhook(input: Input): Promise<boolean> {
    const webhookId = id(input, 'id');
    if (!(await this.domain.identities.deleteWebhook(webhookId))) {
      throw new ApiError('NOT_FOUND', `Webhook ${webhookId} not found`);
    }
    return true;
  }

  async listApps(): Promise<AdminApp[]> {
    return (await this.domain.identities.listApps()).map(appOut);
  }

  /**
   * `{client_id?, client_secret?, scopes?, redirect_uri?, title?}`: a local application, generated credentials when
   * none are given. An existing client_id is updated (secret, scopes; redirect_uri and title when given).
   */
  async createApp(input: Input): Promise<AdminApp> {
    const redirectUri = text(input, 'redirect_uri');
    if (redirectUri && !/^https?:$/.test(URL.canParse(redirectUri) ? new URL(redirectUri).protocol : '')) {
      throw invalid(`redirect_uri ${redirectUri} is not an http(s) URL`);
    }
    const row = await this.domain.identities.createApp({
      clientId: text(input, 'client_id', { pattern: CREDENTIAL }),
      clientSecret: text(input, 'client_secret', { pattern: CREDENTIAL }),
      scopes: scopes(input),
      redirectUri,
      title: text(input, 'title'),
    });
    return appOut(row);
  }

  /** `{client_id, user_id}`: a fresh token pair, exactly as `/oauth/token/` answers it. */
  async issueToken(input: Input): Promise<TokenGrant> {
    const clientId = required(input, 'client_id');
    const userId = id(input, 'user_id');
    const app = await this.domain.identities.appByClientId(clientId);
    if (!app) throw new ApiError('invalid_client', `No application with client_id ${clientId}`);
    const user = await this.domain.users.get(userId);
    if (!user || user.is_bot) throw invalid(`user ${userId} does not exist or is a bot`);
    return this.domain.identities.issueTokens(app, userId);
  }

  async listBots(): Promise<AdminBot[]> {
    const bots = await this.domain.bots.all();
    const users = await this.domain.users.getMany(bots.map((b) => b.id));
    return bots.map((b) => ({
      id: b.id,
      code: b.code,
      type: b.type,
      name: users.get(b.id) ? fullName(users.get(b.id)!) : '',
      app_key: b.app_key,
      handlers: b.handlers as Record<string, string>,
      created_at: b.created_at,
    }));
  }

  private webhookOut(w: WebhookRow): AdminWebhook {
    const { id, user_id, token, scopes, title, created_at } = w;
    return { id, user_id, token, scopes, title, url: `${this.baseUrl()}/rest/${user_id}/${token}/`, created_at };
  }
}

function userOut(u: UserRow): AdminUser {
  const { id, name, last_name, email, login, is_admin, is_bot, active, date_register } = u;
  return { id, name, last_name, email, login, is_admin, is_bot, active, date_register };
}

function appOut(a: AppRow): AdminApp {
  const { id, client_id, client_secret, application_token, scopes, redirect_uri, title, installed, created_at } = a;
  return { id, client_id, client_secret, application_token, scopes, redirect_uri, title, installed, created_at };
}

const invalid = (description: string) => new ApiError('INVALID_REQUEST', description);

function required(input: Input, key: string): string {
  const value = text(input, key);
  if (value === undefined) throw invalid(`${key} is required`);
  return value;
}

function text(input: Input, key: string, rule: { pattern?: RegExp } = {}): string | undefined {
  const value = input[key];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' && typeof value !== 'number') throw invalid(`${key} must be a string`);
  const s = String(value);
  if (rule.pattern && !rule.pattern.test(s)) throw invalid(`${key} may hold only letters, digits and _ . ~ -`);
  return s;
}

function id(input: Input, key: string): number {
  const value = Number(required(input, key));
  if (!Number.isInteger(value) || value <= 0) throw invalid(`${key} must be a positive integer`);
  return value;
}

function flag(input: Input, key: string): boolean {
  const value = input[key];
  return value === true || (typeof value === 'string' && ['y', 'yes', 'true', '1', 'on'].includes(value.toLowerCase()));
}

/** A list or a comma-separated string; scope names are lowercase identifiers (`imbot`, `user_brief`). */
function scopes(input: Input): string[] {
  const value = input.scopes;
  if (value === undefined || value === null || value === '') return [];
  const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : undefined;
  if (!list || list.some((s) => typeof s !== 'string'))
    throw invalid('scopes must be a list or a comma-separated string');
  const names = [...new Set((list as string[]).map((s) => s.trim()).filter(Boolean))];
  const bad = names.find((s) => !SCOPE_NAME.test(s));
  if (bad) throw invalid(`${bad} is not a scope name`);
  return names;
}
