import qs from 'qs';
import { withoutNul } from './text.ts';

// PHP `parse_str` semantics (b24restdocs settings/how-to-call-rest-api/data-encoding.md):
// `a[b][c]=1` nests, `a[]=x` appends, `a[0]..a[n]` is a list, every scalar stays a string, and a repeated plain key
// keeps its last value (`a=1&a=2` is `a=2`, not a list).
const OPTIONS: qs.IParseOptions = {
  depth: 32, // deeper keys keep their remaining brackets as a literal key rather than failing
  arrayLimit: 1000,
  parameterLimit: 20000,
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
  return qs.parse(raw, OPTIONS) as Params;
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
