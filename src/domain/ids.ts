import { randomBytes } from 'node:crypto';

/** Opaque secrets: lowercase hex of the given byte length (Bitrix24 tokens look like this). */
export function secret(bytes = 16): string {
  return randomBytes(bytes).toString('hex');
}
