import type { Config } from './config/config.ts';
import { ConfigError } from './config/config-error.ts';
import { type AppRow, CREDENTIAL, SCOPE_NAME, type WebhookRow } from './domain/identities.ts';
import type { Domain } from './domain/index.ts';

export interface BootstrapSpecs {
  webhook?: { userId: number; token: string; scopes: string[] };
  app?: { clientId: string; clientSecret: string; scopes: string[] };
}

/**
 * Reads `B24_WEBHOOK=<userId>:<token>[:<scope,scope>]` and `B24_APP=<client_id>:<client_secret>[:scopes]`; a bad
 * spec is a ConfigError before anything starts. The secrets are not echoed in the messages.
 */
export function parseBootstrap(config: Pick<Config, 'webhook' | 'app'>): BootstrapSpecs {
  const specs: BootstrapSpecs = {};
  if (config.webhook) {
    const [user, token, scopes] = parts(config.webhook, 'B24_WEBHOOK', '<userId>:<token>[:scope,scope]');
    const userId = Number(user);
    if (!/^\d+$/.test(user) || userId <= 0 || userId > 2 ** 31 - 1) {
      throw new ConfigError(`B24_WEBHOOK: the user id must be a positive number (got ${user})`);
    }
    if (!CREDENTIAL.test(token)) {
      throw new ConfigError('B24_WEBHOOK: the token may hold only letters, digits and _ . ~ - (at most 128)');
    }
    specs.webhook = { userId, token, scopes: scopeList(scopes, 'B24_WEBHOOK') };
  }
  if (config.app) {
    const [clientId, clientSecret, scopes] = parts(config.app, 'B24_APP', '<client_id>:<client_secret>[:scope,scope]');
    if (!CREDENTIAL.test(clientId) || !CREDENTIAL.test(clientSecret)) {
      throw new ConfigError('B24_APP: client_id and client_secret may hold only letters, digits and _ . ~ -');
    }
    specs.app = { clientId, clientSecret, scopes: scopeList(scopes, 'B24_APP') };
  }
  return specs;
}

function parts(spec: string, what: string, shape: string): [string, string, string | undefined] {
  const [a, b, scopes, ...rest] = spec.split(':');
  if (!a || !b || rest.length) throw new ConfigError(`${what} must look like ${shape}`);
  return [a, b, scopes];
}

function scopeList(value: string | undefined, what: string): string[] {
  const scopes = (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = scopes.find((s) => !SCOPE_NAME.test(s));
  if (bad) throw new ConfigError(`${what}: ${bad} is not a scope name (lowercase, e.g. imbot,im,user)`);
  return scopes;
}

/** Makes the configured webhook and app exist, so scripts and CI know their credentials in advance. */
export async function bootstrap(config: Config, domain: Domain): Promise<{ webhook?: WebhookRow; app?: AppRow }> {
  const specs = parseBootstrap(config);
  const out: { webhook?: WebhookRow; app?: AppRow } = {};
  if (specs.webhook) {
    const { userId, token, scopes } = specs.webhook;
    const user = await domain.users.get(userId);
    if (!user || user.is_bot) {
      throw new ConfigError(`B24_WEBHOOK names user ${userId}, who does not exist (create it with \`user add\`)`);
    }
    out.webhook = await domain.identities.createWebhook(userId, scopes, token, 'B24_WEBHOOK');
  }
  if (specs.app) {
    const { clientId, clientSecret, scopes } = specs.app;
    out.app = await domain.identities.createApp({ clientId, clientSecret, scopes, title: 'B24_APP' });
  }
  return out;
}
