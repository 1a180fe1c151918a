import type { Identities } from '../domain/identities.ts';
import { ApiError } from '../wire/errors.ts';
import { sameSecret } from '../wire/secrets.ts';

/** Who may call `/admin/api/…`: the per-process token, and optionally administrators signed in to one app. */
export interface AdminAccess {
  /** Bearer token of this process (`<dataDir>/server.json`). */
  adminToken: string;
  /**
   * Also accept an administrator's OAuth access token of this application (the web admin pages sign in as a
   * person and use that token; docs/decisions.md "Web messenger"). Other applications' tokens never qualify.
   */
  userTokensOf?: string;
}

/**
 * Checks `Authorization: Bearer …` against the admin token, then against administrators' tokens of
 * `userTokensOf`. An expired access token answers `expired_token`, so the page refreshes and retries.
 */
export async function isAdminRequest(
  authorization: string | undefined,
  access: AdminAccess,
  identities: Identities,
): Promise<boolean> {
  const bearer = authorization && /^Bearer\s+(\S+)$/i.exec(authorization);
  if (!bearer) return false;
  if (sameSecret(bearer[1], access.adminToken)) return true;
  if (!access.userTokensOf) return false;
  try {
    const caller = await identities.tokenCaller(bearer[1]);
    return caller.isAdmin && caller.app?.clientId === access.userTokensOf;
  } catch (error) {
    if (error instanceof ApiError && error.code === 'expired_token') throw error;
    return false;
  }
}
