import qs from 'qs';
import { withoutNul } from './text.ts';

// PHP `parse_str` semantics (b24restdocs settings/how-to-call-rest-api/data-encoding.md):
// `a[b][c]=1` nests, `a[]=x` appends, `a[0]..a[n]` is a list, every scalar stays a string, and a repeated plain key
// keeps its last value (`a=1&a=2` is `a=2`, not a list).
const PARAMETER_LIMIT = 20000;
const OPTIONS: qs.IParseOptions = {
  depth: 32, // deeper keys keep their remaining brackets as a literal key rather than failing
  arrayLimit: 1000,
  parameterLimit: PARAMETER_LIMIT,
  allowPrototypes: false,
  ignoreQueryPrefix: true,
  charset: 'utf-8',
  duplicates: 'last',
  decoder: (text, decode, charset) => withoutNul(decode(text, decode, charset)),
};

export type Params = Record<string, unknown>;

/** Parses a query string or an `application/x-www-form-urlencoded` body into nested params. */
export function nestQuery(raw: string): Params {
  if (!raw) return {};
  return flatPairs(raw) ?? (qs.parse(raw, OPTIONS) as Params);
}

const own = Object.prototype.hasOwnProperty;

/**
 * The params of a query whose keys are all flat (`BOT_ID=1&DIALOG_ID=chat5`, what most calls send), exactly as
 * qs.parse with OPTIONS gives them, without its per-key objects and merges; undefined when a key has a bracket (or
 * a value holds `]=`, where qs splits a pair at that `=`), left to qs. Same rules: a leading `?` and empty keys
 * dropped, at most `parameterLimit` pairs, the last of a repeated key kept in its first place, keys that name
 * `Object.prototype` members dropped, `+` a space, bad escapes kept as sent, NUL removed.
 */
function flatPairs(raw: string): Params | undefined {
  let text = raw.charCodeAt(0) === 0x3f ? raw.slice(1) : raw;
  if (text.includes('%5')) text = text.replace(/%5B/gi, '[').replace(/%5D/gi, ']');
  // Scanned once for the whole text, so the usual query (no brackets, nothing escaped) costs one pass per pair.
  const brackets = text.includes('[') || text.includes(']');
  if (brackets && text.includes(']=')) return undefined;
  const encoded = ENCODED.test(text);
  const out: Params = {};
  for (let at = 0, count = 0; at <= text.length && count < PARAMETER_LIMIT; count++) {
    let end = text.indexOf('&', at);
    if (end === -1) end = text.length;
    const part = text.slice(at, end);
    at = end + 1;
    const eq = part.indexOf('=');
    let key = eq === -1 ? part : part.slice(0, eq);
    if (brackets && (key.includes('[') || key.includes(']'))) return undefined;
    if (encoded) key = decodeComponent(key);
    if (key === '' || own.call(Object.prototype, key)) continue;
    const value = eq === -1 ? '' : part.slice(eq + 1);
    out[key] = encoded ? decodeComponent(value) : value;
  }
  return out;
}

/** What qs's decoder changes: a `+`, an escape, or NUL (which every key and value loses). */
const ENCODED = /[+%\0]/;

/** qs's UTF-8 decoder (`+` is a space, an escape that does not decode stays as sent) with NUL removed. */
function decodeComponent(text: string): string {
  const spaced = text.includes('+') ? text.replace(/\+/g, ' ') : text;
  if (!spaced.includes('%')) return withoutNul(spaced);
  try {
    return withoutNul(decodeURIComponent(spaced));
  } catch {
    return withoutNul(spaced);
  }
}

/**
 * Top-level keys upper-cased, as PHP's `array_change_key_case($query, CASE_UPPER)` that many Bitrix24 methods
 * apply first (so `halt`, `HALT` and `Halt` are one param). On a clash the later key wins, as in PHP.
 */
export function upperKeys(params: Params): Params {
  const out: Params = {};
  for (const [key, value] of Object.entries(params)) out[key.toUpperCase()] = value;
  return out;
}
