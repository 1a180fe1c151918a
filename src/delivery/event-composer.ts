import type { Clock } from '../clock.ts';
import { EVENT_CATALOG } from '../domain/event-catalog.ts';
import type { AuthSet } from '../domain/event-data.ts';
import { ACCESS_TTL_SEC, type AppRow, grantedScopes, type PortalInfo, type TokenGrant } from '../domain/identities.ts';
import type { Domain } from '../domain/index.ts';
import { orderedEventData } from '../domain/v2-entities.ts';
import type { Db } from '../store/db.ts';
import { secret } from '../wire/secrets.ts';
import type { EventPost } from './event-body.ts';

/** A claimed delivery with its logged event: what the composer turns into a POST. */
export interface LoggedDelivery {
  handler_id: number;
  auth_user_id: number;
  event: string;
  app_key: string;
  bot_ids: number[];
  bot_codes: string[];
  user_id: number;
  data: Record<string, unknown>;
  command: { id: number; command: string; params: string; context: string; messageId: number } | null;
}

/**
 * Resolves what a POST carries at send time: fresh OAuth tokens (an event may wait hours for a handler that is
 * down; tokens issued when it fired would have expired), the acting user as `data[USER]` and the application's
 * `application_token`.
 */
export class EventComposer {
  private readonly webhookTokens = new Map<string, string>();
  /** Token pairs sent in events, per application and user: reused while half their life is left. */
  private readonly grants = new Map<string, TokenGrant>();

  constructor(
    private readonly db: Db,
    private readonly domain: Domain,
    private readonly portal: () => PortalInfo,
    private readonly clock: Clock,
  ) {}

  /** Drops the cached application tokens (the store was reset). */
  forget(): void {
    this.webhookTokens.clear();
    this.grants.clear();
  }

  /**
   * Tokens for an event POST. Every attempt minted a new pair before, and none was ever removed; now one pair per
   * application and user serves until its access token has less than half its hour left, so a handler always gets
   * at least 30 minutes (docs/decisions.md "Events").
   */
  private async eventGrant(app: AppRow, userId: number): Promise<TokenGrant> {
    const key = `${app.id}:${userId}`;
    const nowSec = this.clock.now() / 1000;
    const cached = this.grants.get(key);
    if (cached && cached.expires - nowSec >= ACCESS_TTL_SEC / 2) {
      return { ...cached, expires_in: Math.round(cached.expires - nowSec) };
    }
    const grant = await this.domain.identities.issueTokens(app, userId);
    this.grants.set(key, grant);
    return grant;
  }

  async compose(row: LoggedDelivery): Promise<EventPost> {
    // Bots registered through an OAuth application belong to its client_id; through a webhook, to custom{CLIENT_ID}.
    const app = await this.domain.identities.appByClientId(row.app_key);
    const portal = await this.portalSet(app, row.app_key);
    const refreshToken = EVENT_CATALOG[row.event]?.refreshToken ?? false;
    const post: EventPost = {
      event: row.event,
      handlerId: row.handler_id,
      sentAt: this.clock.now(),
      auth: await this.userAuth(app, portal, row.auth_user_id || row.user_id, refreshToken, row.event),
    };
    if (!row.bot_ids.length) return { ...post, data: row.data };
    if (row.event.startsWith('ONIMBOTV2')) return { ...post, data: await this.v2Data(row, app, portal) };
    const withTokens = row.event !== 'ONIMBOTDELETE';
    const bots = [];
    for (const [i, id] of row.bot_ids.entries()) {
      bots.push({
        id,
        code: row.bot_codes[i],
        auth: withTokens ? await this.botAuth(app, portal, id, row.app_key) : {},
      });
    }
    const user = row.user_id > 0 ? await this.domain.users.get(row.user_id) : undefined;
    return { ...post, bot: { params: row.data, bots, user, command: row.command ?? undefined } };
  }

  /**
   * `data` of a v2 bot's webhook POST (b24restdocs chat-bots-v2/imbot.v2/events/events.md#bot-format): the logged v2
   * data behind `bot` `{id, code, auth}`, one bot per POST; a deleted bot gets no tokens.
   */
  private async v2Data(
    row: LoggedDelivery,
    app: AppRow | undefined,
    portal: AuthSet,
  ): Promise<Record<string, unknown>> {
    const [id] = row.bot_ids;
    const auth = row.event === 'ONIMBOTV2DELETE' ? {} : await this.botAuth(app, portal, id, row.app_key);
    return orderedEventData({ ...row.data, bot: { id, code: row.bot_codes[0], auth } });
  }

  /** The keys every event carries; an outgoing webhook gets only these (b24restdocs api-reference/events/index.md). */
  private async portalSet(app: AppRow | undefined, appKey: string): Promise<AuthSet> {
    const portal = this.portal();
    return {
      domain: portal.domain,
      client_endpoint: portal.clientEndpoint,
      server_endpoint: portal.serverEndpoint,
      member_id: portal.memberId,
      application_token: app ? app.application_token : await this.webhookToken(appKey),
    };
  }

  /**
   * `auth[…]`: tokens of the user who fired the event, or of event.bind's auth_type; none without a user. A webhook
   * bot's application has no tokens to issue: its set has the page's other keys in the page's order (scope, status,
   * user_id among them), an event.bind subscription of a webhook the outgoing-webhook set.
   */
  private async userAuth(
    app: AppRow | undefined,
    portal: AuthSet,
    userId: number,
    refresh: boolean,
    event: string,
  ): Promise<AuthSet> {
    if (!app && this.isBotEvent(event)) {
      return webhookBotAuth(portal, userId > 0 ? { user_id: String(userId) } : {});
    }
    if (!app) return portal;
    const common = { domain: portal.domain, server_endpoint: portal.server_endpoint, status: 'L' };
    if (userId <= 0 || !(await this.domain.users.get(userId))) {
      return {
        scope: grantedScopes(app).join(','),
        ...common,
        client_endpoint: portal.client_endpoint,
        member_id: portal.member_id,
        application_token: portal.application_token,
      };
    }
    const grant = await this.eventGrant(app, userId);
    return {
      access_token: grant.access_token,
      expires: String(grant.expires),
      expires_in: String(grant.expires_in),
      scope: grant.scope,
      ...common,
      client_endpoint: portal.client_endpoint,
      member_id: portal.member_id,
      user_id: String(userId),
      ...(refresh ? { refresh_token: grant.refresh_token } : {}),
      application_token: portal.application_token,
    };
  }

  /**
   * A bot's entry in `data[BOT]`: OAuth tokens of the bot user for its application, so the handler can call back
   * as the bot. A webhook bot calls back through its webhook URL and gets no tokens, only the portal keys.
   */
  private async botAuth(app: AppRow | undefined, portal: AuthSet, botId: number, appKey: string): Promise<AuthSet> {
    if (!app) {
      return webhookBotAuth(portal, { user_id: String(botId), client_id: appKey.slice('custom'.length) });
    }
    const grant = await this.eventGrant(app, botId);
    return {
      access_token: grant.access_token,
      expires: String(grant.expires),
      expires_in: String(grant.expires_in),
      scope: grant.scope,
      domain: portal.domain,
      server_endpoint: portal.server_endpoint,
      status: 'L',
      client_endpoint: portal.client_endpoint,
      member_id: portal.member_id,
      refresh_token: grant.refresh_token,
      user_id: String(botId),
      client_id: app.client_id,
      application_token: portal.application_token,
    };
  }

  private isBotEvent(event: string): boolean {
    return EVENT_CATALOG[event]?.scope === 'imbot';
  }

  /** A webhook application has no apps row: its application_token is made once per app key and kept. */
  private async webhookToken(appKey: string): Promise<string> {
    const cached = this.webhookTokens.get(appKey);
    if (cached) return cached;
    await this.db.query(
      'INSERT INTO app_event_tokens (app_key, application_token) VALUES ($1, $2) ON CONFLICT DO NOTHING',
      [appKey, secret(16)],
    );
    const row = await this.db.one<{ application_token: string }>(
      'SELECT application_token FROM app_event_tokens WHERE app_key = $1',
      [appKey],
    );
    this.webhookTokens.set(appKey, row!.application_token);
    return row!.application_token;
  }
}

/** The `auth` of a webhook bot's event (no tokens: it calls back through its webhook), keys in the pages' order. */
function webhookBotAuth(portal: AuthSet, who: Record<string, string>): AuthSet {
  return {
    scope: 'imbot',
    domain: portal.domain,
    server_endpoint: portal.server_endpoint,
    status: 'L',
    client_endpoint: portal.client_endpoint,
    member_id: portal.member_id,
    ...who,
    application_token: portal.application_token,
  };
}
