// How the im module's REST layer (class CIMRestService) reads the params the platform's own binder leaves raw:
// with PHP's intval, `empty()`, loose `==` and array-key lookups. The v1 bot methods read their params the same way,
// so a value that is accepted, coerced or refused there is so here (docs/decisions.md, "Order of checks in the bot
// API").

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
  else if (typeof raw === 'boolean') n = raw ? 1 : 0;
  else if (typeof raw === 'string') {
    const match = /^\s*([+-]?\d+)/.exec(raw);
    n = match ? Number(match[1]) : 0;
  }
  return Math.min(Math.max(n, INT_MIN), INT_MAX);
}

/**
 * An id looked up as a PHP array key (`isset($bots[$arParams['BOT_ID']])`): an integer, or a string that is one in
 * canonical form (`"39"`, not `" 39"`, `"039"` or `"39abc"`, which are other keys). 0 for anything else: no id.
 */
export function arrayKey(raw: unknown): number {
  let n = 0;
  if (typeof raw === 'number' && Number.isInteger(raw)) n = raw;
  else if (typeof raw === 'string' && /^(0|-?[1-9]\d{0,15})$/.test(raw)) n = Number(raw);
  return n > 0 && n <= INT_MAX ? n : 0;
}

/** PHP's `empty()`: absent, null, false, 0, "", "0" and an empty array. */
export function phpEmpty(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === '' || value === '0') {
    return true;
  }
  return typeof value === 'object' && Object.keys(value).length === 0;
}

/**
 * PHP 8's loose `==` of a param against a non-numeric string literal, as the im module compares flags
 * (`$arParams['SYSTEM'] == 'Y'`, `$arParams['IS_MANAGER'] == 'N'`): a string as itself, a boolean against the
 * literal's truth (JSON `true` equals both "Y" and "N"), a number as its decimal text, null as "". Arrays never.
 */
export function looseEquals(value: unknown, literal: string): boolean {
  if (typeof value === 'string') return value === literal;
  if (typeof value === 'boolean') return value === (literal !== '' && literal !== '0');
  if (typeof value === 'number') return String(value) === literal;
  if (value === undefined || value === null) return literal === '';
  return false;
}

/** A param read as PHP reads a scalar into a string (trim, concatenation): numbers as text, true "1", else "". */
export function phpString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return value === true ? '1' : '';
}
