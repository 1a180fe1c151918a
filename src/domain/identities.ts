import type { Clock } from '../clock.ts';
import type { CacheBus, SharedCache } from '../store/cache-bus.ts';
import type { Db } from '../store/db.ts';
import { ApiError } from '../wire/errors.ts';
import { type MaybePromise, then } from '../wire/maybe-promise.ts';
import { KNOWN_SCOPES } from '../wire/scopes.ts';
import { secret } from '../wire/secrets.ts';
import type { Caller } from './caller.ts';
import type { UserRow } from './user-row.ts';
import type { Users } from './users.ts';

export interface WebhookRow {
  id: number;
  user_id: number;
  token: string;
  scopes: string[];
  title: string;
  created_at: Date;
}

export interface AppRow {
  id: number;
  client_id: string;
  client_secret: string;
  scopes: string[];
  title: string;
  redirect_uri: string;
  application_token: string;
  installed: boolean;
  created_at: Date;
}

interface TokenRow {
  id: number;
  app_id: number;
  user_id: number;
  access_token: string;
  refresh_token: string;
  access_expires_at: Date;
  refresh_expires_at: Date;
  refreshed_at: Date | null;
}

export const ACCESS_TTL_SEC = 3600;
export const REFRESH_TTL_SEC = 180 * 24 * 3600;
export const CODE_TTL_SEC = 30;
/** A rotated refresh token still works this long, so a client that crashed mid-refresh can retry. */
export const REFRESH_GRACE_SEC = 60;

/**
 * The token endpoint's answer, keys in the order of the docs' examples (b24restdocs settings/oauth/index.md,
 * auto-renewal.md). `expires` and `user_id` are in both grants' answers (only the refresh example shows them).
 */
export interface TokenGrant {
  access_token: string;
  client_endpoint: string;
  domain: string;
  expires: number;
  expires_in: number;
  member_id: string;
  refresh_token: string;
  scope: string;
  server_endpoint: string;
  status: 'L';
  user_id: number;
}

/** Webhook tokens, client ids and secrets travel in URL paths and query strings: no separators, no spaces. */
export const CREDENTIAL = /^[A-Za-z0-9_.~-]{1,128}$/;
/** Scope names are lowercase identifiers (`imbot`, `user_brief`); unknown ones are kept, as a portal does. */
export const SCOPE_NAME = /^[a-z][a-z0-9_.]*$/;

/** An app created without a scope list has every scope; its grants name them all rather than none. */
export function grantedScopes(app: Pick<AppRow, 'scopes'>): string[] {
  return app.scopes.length ? app.scopes : KNOWN_SCOPES;
}

interface MadeCaller {
  user: UserRow;
  caller: Caller;
}

/** A cached token with its application, and the caller made of it. */
interface TokenEntry {
  token: TokenRow;
  app: AppRow;
  made?: MadeCaller;
}

export interface PortalInfo {
  domain: string;
  clientEndpoint: string;
  serverEndpoint: string;
  memberId: string;
}

/** Webhooks, OAuth applications and tokens, and turning a credential into a Caller. */
export class Identities {
  private readonly webhookCache: SharedCache<string, WebhookRow | null>;
  private readonly tokenCache: SharedCache<string, TokenEntry>;
  /** Callers are immutable: each webhook's is reused while its user's cached row is the same object. */
  private readonly webhookCallers = new WeakMap<WebhookRow, MadeCaller>();
  private readonly appCache: SharedCache<number, AppRow>;
  /** Applications by client_id, null for none: every event POST looks its application up (a webhook bot's has none). */
  private readonly appByClientCache: SharedCache<string, AppRow | null>;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly users: Users,
    private readonly portal: () => PortalInfo,
    caches: CacheBus,
  ) {
    this.webhookCache = caches.cache('webhooks');
    this.tokenCache = caches.cache('tokens');
    this.appCache = caches.cache('apps');
    this.appByClientCache = caches.cache('apps-by-client');
  }

  /** Drops every cached webhook, token and application. */
  forget(): void {
    this.webhookCache.clear();
    this.tokenCache.clear();
    this.appCache.clear();
    this.appByClientCache.clear();
  }

  // ---- webhooks

  async createWebhook(userId: number, scopes: string[], token = secret(8), title = ''): Promise<WebhookRow> {
    await this.users.require(userId);
    const row = await this.db.one<WebhookRow>(
      `INSERT INTO webhooks (user_id, token, scopes, title) VALUES ($1, $2, $3, $4)
       ON CONFLICT (user_id, token) DO UPDATE SET scopes = EXCLUDED.scopes RETURNING *`,
      [userId, token, scopes, title],
    );
    this.webhookCache.delete(`${userId}:${token}`);
    return row!;
  }

  listWebhooks(): Promise<WebhookRow[]> {
    return this.db.query<WebhookRow>('SELECT * FROM webhooks ORDER BY id');
  }

  async deleteWebhook(id: number): Promise<boolean> {
    const rows = await this.db.query<WebhookRow>('DELETE FROM webhooks WHERE id = $1 RETURNING *', [id]);
    for (const row of rows) this.webhookCache.delete(`${row.user_id}:${row.token}`);
    return rows.length > 0;
  }

  /** At once when the webhook and its user are cached (every call but the first), else after reading them. */
  webhookCaller(userId: string, token: string): MaybePromise<Caller> {
    const key = `${userId}:${token}`;
    const hook = this.webhookCache.get(key);
    if (hook !== undefined) return this.webhookCallerOf(hook);
    return this.readWebhook(key, userId, token).then((row) => this.webhookCallerOf(row));
  }

  private async readWebhook(key: string, userId: string, token: string): Promise<WebhookRow | null> {
    const hook = /^\d{1,9}$/.test(userId)
      ? ((await this.db.one<WebhookRow>('SELECT * FROM webhooks WHERE user_id = $1 AND token = $2', [
          Number(userId),
          token,
        ])) ?? null)
      : null;
    if (this.webhookCache.size > 10000) this.webhookCache.drop();
    this.webhookCache.fill(key, hook);
    return hook;
  }

  private webhookCallerOf(hook: WebhookRow | null): MaybePromise<Caller> {
    if (!hook) throw new ApiError('NO_AUTH_FOUND');
    return then(this.users.get(hook.user_id), (user) => {
      if (!user?.active) throw new ApiError('NO_AUTH_FOUND');
      const made = this.webhookCallers.get(hook);
      if (made?.user === user) return made.caller;
      const caller: Caller = {
        authType: 'webhook',
        userId: user.id,
        isAdmin: user.is_admin,
        scopes: hook.scopes.length ? new Set(hook.scopes) : null,
        limitKey: `webhook:${hook.id}`,
        webhookId: hook.id,
        app: null,
        accessToken: null,
      };
      this.webhookCallers.set(hook, { user, caller });
      return caller;
    });
  }

  // ---- applications

  async createApp(input: {
    clientId?: string;
    clientSecret?: string;
    scopes?: string[];
    title?: string;
    redirectUri?: string;
  }): Promise<AppRow> {
    const row = await this.db.one<AppRow>(
      `INSERT INTO apps (client_id, client_secret, scopes, title, redirect_uri, application_token)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (client_id) DO UPDATE SET client_secret = EXCLUDED.client_secret, scopes = EXCLUDED.scopes,
         title = COALESCE(NULLIF(EXCLUDED.title, ''), apps.title),
         redirect_uri = COALESCE(NULLIF(EXCLUDED.redirect_uri, ''), apps.redirect_uri)
       RETURNING *`,
      [
        input.clientId ?? `local.${secret(7)}.${secret(4)}`,
        input.clientSecret ?? secret(24),
        input.scopes ?? [],
        input.title ?? '',
        input.redirectUri ?? '',
        secret(16),
      ],
    );
    this.appCache.set(row!.id, row!);
    this.appByClientCache.delete(row!.client_id);
    this.tokenCache.clear();
    return row!;
  }

  listApps(): Promise<AppRow[]> {
    return this.db.query<AppRow>('SELECT * FROM apps ORDER BY id');
  }

  async appByClientId(clientId: string): Promise<AppRow | undefined> {
    const cached = this.appByClientCache.get(clientId);
    if (cached !== undefined) return cached ?? undefined;
    const row = await this.db.one<AppRow>('SELECT * FROM apps WHERE client_id = $1', [clientId]);
    this.appByClientCache.fill(clientId, row ?? null);
    return row;
  }

  async appById(id: number): Promise<AppRow | undefined> {
    const cached = this.appCache.get(id);
    if (cached) return cached;
    const row = await this.db.one<AppRow>('SELECT * FROM apps WHERE id = $1', [id]);
    if (row) this.appCache.fill(id, row);
    return row;
  }

  // ---- OAuth

  async issueCode(app: AppRow, userId: number): Promise<string> {
    await this.users.require(userId);
    const code = secret(16);
    await this.db.query('INSERT INTO oauth_codes (code, app_id, user_id, expires_at) VALUES ($1, $2, $3, $4)', [
      code,
      app.id,
      userId,
      new Date(this.clock.now() + CODE_TTL_SEC * 1000),
    ]);
    return code;
  }

  /**
   * Issues a fresh access/refresh pair for (app, user): the CLI's `token` command and the code grant. `fixed`
   * gives the pair's values instead (a fixtures file's known tokens).
   */
  async issueTokens(app: AppRow, userId: number, fixed?: { access: string; refresh: string }): Promise<TokenGrant> {
    const user = await this.users.require(userId);
    if (!user.active) throw new ApiError('invalid_grant', `User ${userId} is not active`);
    const now = this.clock.now();
    const row = await this.db.one<TokenRow>(
      `INSERT INTO oauth_tokens (app_id, user_id, access_token, refresh_token, access_expires_at, refresh_expires_at)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
      [
        app.id,
        userId,
        fixed?.access ?? secret(24),
        fixed?.refresh ?? secret(24),
        new Date(now + ACCESS_TTL_SEC * 1000),
        new Date(now + REFRESH_TTL_SEC * 1000),
      ],
    );
    return this.grant(app, row!);
  }

  async exchangeCode(app: AppRow, code: string): Promise<TokenGrant> {
    const row = await this.db.one<{ user_id: number }>(
      `UPDATE oauth_codes SET used = true WHERE code = $1 AND app_id = $2 AND NOT used AND expires_at > $3
       RETURNING user_id`,
      [code, app.id, new Date(this.clock.now())],
    );
    if (!row) throw new ApiError('invalid_grant', 'Invalid authorization code');
    return this.issueTokens(app, row.user_id);
  }

  async refresh(app: AppRow, refreshToken: string): Promise<TokenGrant> {
    const now = this.clock.now();
    const old = await this.db.one<TokenRow>(
      `UPDATE oauth_tokens SET refreshed_at = COALESCE(refreshed_at, $3)
       WHERE refresh_token = $1 AND app_id = $2 AND refresh_expires_at > $3
         AND (refreshed_at IS NULL OR refreshed_at > $4)
       RETURNING *`,
      [refreshToken, app.id, new Date(now), new Date(now - REFRESH_GRACE_SEC * 1000)],
    );
    if (!old) throw new ApiError('invalid_grant', 'Invalid refresh token');
    return this.issueTokens(app, old.user_id);
  }

  private grant(app: AppRow, row: TokenRow): TokenGrant {
    const portal = this.portal();
    return {
      access_token: row.access_token,
      client_endpoint: portal.clientEndpoint,
      // We are the authorization server too: pointing `domain` at oauth.bitrix.info would send SDKs that build
      // the refresh URL from it (with the client_secret) to the real one (docs/decisions.md).
      domain: portal.domain,
      expires: Math.floor(row.access_expires_at.getTime() / 1000),
      expires_in: ACCESS_TTL_SEC,
      member_id: portal.memberId,
      refresh_token: row.refresh_token,
      scope: grantedScopes(app).join(','),
      server_endpoint: portal.serverEndpoint,
      status: 'L',
      user_id: row.user_id,
    };
  }

  /** A caller of the user through the application, on a token issued for it (the control API's people). */
  async callerThrough(app: AppRow, userId: number): Promise<Caller> {
    return this.tokenCaller((await this.issueTokens(app, userId)).access_token);
  }

  /** At once when the token and its user are cached, as `webhookCaller`. */
  tokenCaller(accessToken: string): MaybePromise<Caller> {
    const entry = this.tokenCache.get(accessToken);
    if (entry) return this.tokenCallerOf(accessToken, entry);
    return this.readToken(accessToken).then((read) => this.tokenCallerOf(accessToken, read));
  }

  private async readToken(accessToken: string): Promise<TokenEntry> {
    const token = await this.db.one<TokenRow>('SELECT * FROM oauth_tokens WHERE access_token = $1', [accessToken]);
    const app = token && (await this.appById(token.app_id));
    if (!token || !app) throw new ApiError('invalid_token', 'The access token provided is invalid');
    const entry: TokenEntry = { token, app };
    if (this.tokenCache.size > 10000) this.tokenCache.drop();
    this.tokenCache.fill(accessToken, entry);
    return entry;
  }

  private tokenCallerOf(accessToken: string, entry: TokenEntry): MaybePromise<Caller> {
    const { token, app } = entry;
    if (token.access_expires_at.getTime() <= this.clock.now()) throw new ApiError('expired_token');
    if (!app.installed) throw new ApiError('user_access_error');
    return then(this.users.get(token.user_id), (user) => {
      if (!user?.active) throw new ApiError('invalid_token', 'The access token provided is invalid');
      if (entry.made?.user === user) return entry.made.caller;
      const caller: Caller = {
        authType: 'oauth',
        userId: user.id,
        isAdmin: user.is_admin,
        scopes: app.scopes.length ? new Set(app.scopes) : null,
        limitKey: `app:${app.id}`,
        webhookId: null,
        app: { id: app.id, clientId: app.client_id, applicationToken: app.application_token },
        accessToken,
      };
      entry.made = { user, caller };
      return caller;
    });
  }
}
