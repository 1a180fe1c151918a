import type { Config } from './config.ts';
import type { AppRow, WebhookRow } from './domain/identities.ts';
import type { Domain } from './domain/index.ts';

/** `B24_WEBHOOK=<userId>:<token>[:<scope,scope>]` and `B24_APP=<client_id>:<client_secret>[:scopes]`. */
export function parseSpec(spec: string, what: string): { a: string; b: string; scopes: string[] } {
  const [a, b, scopes] = spec.split(':');
  if (!a || !b) throw new Error(`${what} must look like <id>:<secret>[:scope,scope] (got ${spec})`);
  return {
    a,
    b,
    scopes: scopes
      ? scopes
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : [],
  };
}

/** Makes the configured webhook and app exist, so scripts and CI know their credentials in advance. */
export async function bootstrap(config: Config, domain: Domain): Promise<{ webhook?: WebhookRow; app?: AppRow }> {
  const out: { webhook?: WebhookRow; app?: AppRow } = {};
  if (config.webhook) {
    const { a, b, scopes } = parseSpec(config.webhook, 'B24_WEBHOOK');
    const userId = Number(a);
    if (!Number.isInteger(userId) || userId <= 0) throw new Error(`B24_WEBHOOK user id must be a number (got ${a})`);
    if (!(await domain.users.get(userId))) throw new Error(`B24_WEBHOOK names user ${userId}, who does not exist`);
    out.webhook = await domain.identities.createWebhook(userId, scopes, b, 'B24_WEBHOOK');
  }
  if (config.app) {
    const { a, b, scopes } = parseSpec(config.app, 'B24_APP');
    out.app = await domain.identities.createApp({ clientId: a, clientSecret: b, scopes, title: 'B24_APP' });
  }
  return out;
}
