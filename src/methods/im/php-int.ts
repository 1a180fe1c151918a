import { asList, decodeJsonParam } from '../../domain/json-param.ts';

// PHP's intval saturates at its integer bounds; ours are those of the store's `integer` ids, so an id past them
// names nothing either way and never reaches a query as an out-of-range value.
const INT_MAX = 2 ** 31 - 1;
const INT_MIN = -(2 ** 31);

/**
 * PHP's `intval`, which the im module applies to id params before checking them: the leading integer of a string
 * (`"12abc"` → 12), 0 for anything that is not one. So a malformed id fails the same check as a missing one.
 */
export function intval(raw: unknown): number {
  let n = 0;
  if (typeof raw === 'number') n = Number.isFinite(raw) ? Math.trunc(raw) : 0;
  else if (typeof raw === 'string') {
    const match = /^\s*([+-]?\d+)/.exec(raw);
    n = match ? Number(match[1]) : 0;
  }
  return Math.min(Math.max(n, INT_MIN), INT_MAX);
}

/** A list of user ids (an array, a PHP-style list, a JSON array or one id); entries that are no id are dropped. */
export function idList(raw: unknown): number[] {
  const value = decodeJsonParam(raw);
  const items = asList(value) ?? (value === undefined || value === '' ? [] : [value]);
  return items.map(intval).filter((id) => id > 0);
}
