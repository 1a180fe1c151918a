import type { AppRow, Identities, TokenGrant } from '../domain/identities.ts';
import { ApiError } from '../wire/errors.ts';
import type { Params } from '../wire/params/nest.ts';
import { sameSecret } from '../wire/secrets.ts';

const GRANT_TYPES = ['authorization_code', 'refresh_token'] as const;

/**
 * `/oauth/token/` as b24restdocs settings/oauth/index.md (code) and auto-renewal.md (refresh) describe it.
 * Checks run in the order a client needs to fix them: missing params, unknown grant type, client, grant.
 */
export async function tokenGrant(identities: Identities, params: Params): Promise<TokenGrant> {
  const grantType = text(params, 'grant_type');
  const clientId = text(params, 'client_id');
  const clientSecret = text(params, 'client_secret');
  if (!GRANT_TYPES.includes(grantType as (typeof GRANT_TYPES)[number])) {
    throw new ApiError('unsupported_grant_type', `Grant type ${grantType} is not supported`);
  }
  const app = await client(identities, clientId, clientSecret);
  if (grantType === 'authorization_code') return identities.exchangeCode(app, text(params, 'code'));
  return identities.refresh(app, text(params, 'refresh_token'));
}

/** The application by its client_id, refused unless the secret matches and it is installed on this portal. */
export async function client(identities: Identities, clientId: string, clientSecret?: string): Promise<AppRow> {
  const app = await identities.appByClientId(clientId);
  if (!app || (clientSecret !== undefined && !sameSecret(app.client_secret, clientSecret))) {
    throw new ApiError('invalid_client', 'Wrong client_id or client_secret');
  }
  if (!app.installed) throw new ApiError('invalid_client', 'The application is not installed on this portal');
  return app;
}

function text(params: Params, name: string): string {
  const value = params[name];
  if (typeof value !== 'string' || value === '') throw new ApiError('invalid_request', `Parameter ${name} is required`);
  return value;
}
