import type { Params } from '../wire/params/nest.ts';

/** Credentials as found on the wire; looking them up is the domain's job. */
export type Credentials =
  | { kind: 'webhook'; userId: string; token: string }
  | { kind: 'token'; token: string }
  | { kind: 'none' };

/**
 * Webhook path first, then the OAuth token: `auth` (query or body; b24restdocs), `access_token`
 * (what `@2bad/bitrix` sends), or `Authorization: Bearer`. The method gets the params `withoutCredentials`.
 */
export function extractCredentials(
  webhook: { userId: string; token: string } | undefined,
  params: Params,
  authorization: string | undefined,
): Credentials {
  const fromParams = params.auth ?? params.access_token;
  if (webhook) return { kind: 'webhook', ...webhook };
  if (typeof fromParams === 'string' && fromParams) return { kind: 'token', token: fromParams };
  const bearer = authorization && /^Bearer\s+(\S+)$/i.exec(authorization);
  if (bearer) return { kind: 'token', token: bearer[1] };
  return { kind: 'none' };
}

/**
 * The params less `auth` and `access_token`, as a copy: deleting a key that is not the last one added turns the
 * object into a slow dictionary for every later read (P1, an OAuth call's `auth` comes first).
 */
export function withoutCredentials(params: Params): Params {
  if (params.auth === undefined && params.access_token === undefined) return params;
  const { auth: _auth, access_token: _token, ...rest } = params;
  return rest;
}
