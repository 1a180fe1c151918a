import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Opaque secrets: lowercase hex of the given byte length (Bitrix24 tokens look like this). */
export function secret(bytes = 16): string {
  return randomBytes(bytes).toString('hex');
}

/** Compares secrets without leaking their length or common prefix through timing. */
export function sameSecret(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(a), digest(b));
}
