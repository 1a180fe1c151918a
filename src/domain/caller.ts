import { fail } from '../wire/errors.ts';
import type { Params } from '../wire/params/nest.ts';

/** Who is calling: resolved from a webhook or an OAuth token. The HTTP layer never builds one itself. */
export interface Caller {
  authType: 'webhook' | 'oauth';
  userId: number;
  isAdmin: boolean;
  /** Granted scopes; `null` = every scope (a webhook or app created without a scope list). */
  scopes: ReadonlySet<string> | null;
  /** Key for rate limits and operating time: one per webhook or per application. */
  limitKey: string;
  webhookId: number | null;
  app: { id: number; clientId: string; applicationToken: string } | null;
  accessToken: string | null;
}

/** CLIENT_ID as a webhook call sent it; PHP's `empty()` treats "" and "0" as not given, and so does the platform. */
export function clientIdParam(raw: Params): string | undefined {
  const value = raw.CLIENT_ID;
  const text = typeof value === 'string' || typeof value === 'number' ? String(value) : '';
  return text === '' || text === '0' ? undefined : text;
}

/**
 * The application an imbot call acts for, or `undefined` when it names none: OAuth → the token's client_id;
 * webhook → `custom{CLIENT_ID}` (CIMRestService: `$server->getClientId()`, else `'custom'.$arParams['CLIENT_ID']`).
 */
export function applicationIn(caller: Caller, raw: Params): string | undefined {
  if (caller.app) return caller.app.clientId;
  const clientId = clientIdParam(raw);
  return clientId === undefined ? undefined : `custom${clientId}`;
}

/**
 * As `applicationIn`, but a call that names no application is refused as the platform refuses it (every bot
 * method of CIMRestService, newest copy: AccessException "Client ID not specified" → 403 ACCESS_DENIED
 * "Access denied! Client ID not specified"; the imbot.register/update pages list it).
 */
export function requireApplication(caller: Caller, raw: Params): string {
  const app = applicationIn(caller, raw);
  if (app === undefined) throw fail('ACCESS_DENIED', 'Access denied! Client ID not specified');
  return app;
}

/** A method declares one scope or several that each grant it (user.get: user, user_brief or user_basic). */
export function hasScope(caller: Caller, scope: string | readonly string[]): boolean {
  if (caller.scopes === null) return true;
  const granted = caller.scopes;
  return typeof scope === 'string'
    ? scope === 'basic' || granted.has(scope)
    : scope.some((s) => s === 'basic' || granted.has(s));
}
