import { coerceBool, INVALID } from '../../wire/params/coerce.ts';
import { intval } from '../im/php-int.ts';

/**
 * `USER_ID` as the pull methods take it: one id or a list (JSON array, `USER_ID[]=`, `USER_ID[0]=`). Each item is
 * read like PHP's intval, so junk becomes 0 and fails the caller's checks rather than crashing.
 */
export function userIdList(raw: unknown): number[] {
  const items = Array.isArray(raw) ? raw : raw && typeof raw === 'object' ? Object.values(raw) : [raw];
  return items.map(intval);
}

/** Absent and empty both mean "not given" (as for every other param). */
export function given(raw: unknown): boolean {
  return raw !== undefined && raw !== null && raw !== '';
}

/** CACHE / REOPEN: on unless turned off ("If the parameter is not provided, the cache is used"). */
export function isOn(raw: unknown): boolean {
  const value = given(raw) ? coerceBool(raw) : true;
  return value === INVALID || value;
}
