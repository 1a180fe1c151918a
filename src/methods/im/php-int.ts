import { asList, decodeJsonParam } from '../../domain/json-param.ts';

/**
 * PHP's `intval`, which the im module applies to id params before checking them: the leading integer of a string
 * (`"12abc"` → 12), 0 for anything that is not one. So a malformed id fails the same check as a missing one.
 */
export function intval(raw: unknown): number {
  if (typeof raw === 'number') return Number.isFinite(raw) ? Math.trunc(raw) : 0;
  if (typeof raw !== 'string') return 0;
  const match = /^\s*([+-]?\d+)/.exec(raw);
  return match ? Number(match[1]) : 0;
}

/** A list of user ids (an array, a PHP-style list, a JSON array or one id); entries that are no id are dropped. */
export function idList(raw: unknown): number[] {
  const value = decodeJsonParam(raw);
  const items = asList(value) ?? (value === undefined || value === '' ? [] : [value]);
  return items.map(intval).filter((id) => id > 0);
}
