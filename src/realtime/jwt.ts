import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * What a pull `jwt` names: the user and the channels the connection may read. The SDK passes the token back
 * unchanged as `?token=` (b24jssdk pullClient `getConnectionPath`), so its content is ours to choose.
 */
export interface PullToken {
  /** User id (0 for a connection to shared channels only). */
  sub: number;
  /** Channel ids. */
  chn: string[];
  /** Expiry, Unix seconds. */
  exp: number;
}

const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

function signature(data: string, secret: string): Buffer {
  return createHmac('sha256', secret).update(data).digest();
}

/** An HS256 JWT (RFC 7519); the four lines it takes are not worth a dependency. */
export function signToken(token: PullToken, secret: string): string {
  const data = `${HEADER}.${Buffer.from(JSON.stringify(token)).toString('base64url')}`;
  return `${data}.${signature(data, secret).toString('base64url')}`;
}

/** The token's claims when it is ours, intact and not expired; otherwise null. */
export function verifyToken(jwt: string, secret: string, nowSec: number): PullToken | null {
  const parts = jwt.split('.');
  if (parts.length !== 3 || parts[0] !== HEADER) return null;
  const given = Buffer.from(parts[2], 'base64url');
  const expected = signature(`${parts[0]}.${parts[1]}`, secret);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  const c = claims as Partial<PullToken>;
  if (!Number.isInteger(c.sub) || !Array.isArray(c.chn) || typeof c.exp !== 'number') return null;
  if (!c.chn.every((id) => typeof id === 'string')) return null;
  return c.exp > nowSec ? (c as PullToken) : null;
}
