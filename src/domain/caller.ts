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

/**
 * The application an imbot call acts for. OAuth: the token's application. Webhook: `custom{CLIENT_ID}`,
 * with CLIENT_ID empty when not given (b24restdocs imbot.chat.setOwner; docs/decisions.md).
 */
export function appKeyOf(caller: Caller, clientId: string | undefined): string {
  if (caller.app) return caller.app.clientId;
  return `custom${clientId ?? ''}`;
}

/** A method declares one scope or several that each grant it (user.get: user, user_brief or user_basic). */
export function hasScope(caller: Caller, scope: string | readonly string[]): boolean {
  if (caller.scopes === null) return true;
  const granted = caller.scopes;
  return typeof scope === 'string'
    ? scope === 'basic' || granted.has(scope)
    : scope.some((s) => s === 'basic' || granted.has(s));
}
