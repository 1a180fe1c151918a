import { ApiError } from '../../wire/errors.ts';
import { nestQuery, type Params } from '../../wire/params/nest.ts';

// Helpers of `batch` (b24restdocs settings/how-to-call-rest-api/batch.md): reading one command, resolving
// `$result[cmd][path…]` references against earlier answers, and PHP array semantics for the answer maps.

export interface BatchCommand {
  method: string;
  params: Params;
}

/**
 * One `cmd` entry: the wire form `method?query` (the query nests like any form body), or the SDK form
 * `{method, params}` that JSON clients send when they skip the SDK's string conversion (docs/decisions.md).
 */
export function parseCommand(entry: unknown): BatchCommand {
  if (typeof entry === 'string') {
    const q = entry.indexOf('?');
    const method = (q === -1 ? entry : entry.slice(0, q)).trim();
    return { method, params: q === -1 ? {} : nestQuery(entry.slice(q + 1)) };
  }
  if (entry && typeof entry === 'object' && !Array.isArray(entry)) {
    const { method, params } = entry as { method?: unknown; params?: unknown };
    if (typeof method === 'string' && (params === undefined || (params !== null && typeof params === 'object'))) {
      return { method: method.trim(), params: Array.isArray(params) ? { ...params } : ((params as Params) ?? {}) };
    }
  }
  throw new ApiError('INVALID_REQUEST', 'A batch command is a string "method?params" or an object {method, params}');
}

/** What references can read: the answers so far, by the names the platform uses in `$name[cmd]…`. */
export interface BatchSoFar {
  result: Record<string, unknown>;
  next: Record<string, unknown>;
  total: Record<string, unknown>;
  time: Record<string, unknown>;
  error: Record<string, unknown>;
}

const REFERENCE = /\$(result|next|total|time|error)((?:\[[^\]]+\])+)/gi;
// Deeper structures than this are left as they are rather than walked (a 10 000-level JSON body must not recurse).
const MAX_DEPTH = 64;

function lookup(source: BatchSoFar, name: string, path: string): unknown {
  let value: unknown = source[name.toLowerCase() as keyof BatchSoFar];
  for (const [, key] of path.matchAll(/\[([^\]]+)\]/g)) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key)) return '';
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return value === true ? '1' : '';
}

/**
 * Replaces references in every string value. A value that is exactly one reference takes the referenced value
 * itself (an array becomes an array param, as the BX24 example passes `$result[get_user][UF_DEPARTMENT]`);
 * a reference inside a longer string is replaced by its text. A path that does not exist (an unknown or failed
 * command, a missing key) reads as an empty string.
 */
export function resolveReferences(value: unknown, source: BatchSoFar, depth = 0): unknown {
  if (typeof value === 'string') {
    if (!value.includes('$')) return value;
    const whole = new RegExp(`^${REFERENCE.source}$`, 'i').exec(value);
    if (whole) return lookup(source, whole[1], whole[2]);
    return value.replace(REFERENCE, (_m, name: string, path: string) => asText(lookup(source, name, path)));
  }
  if (depth >= MAX_DEPTH || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => resolveReferences(v, source, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = resolveReferences(v, source, depth + 1);
  return out;
}

/**
 * A map as PHP's json_encode writes an array: `[]` when empty, a list when the keys are 0..n-1 in order,
 * otherwise an object (the docs' examples show `"result_error": []`).
 */
export function phpArray(entries: [string, unknown][]): unknown[] | Record<string, unknown> {
  if (entries.every(([key], i) => key === String(i))) return entries.map(([, v]) => v);
  return Object.fromEntries(entries);
}
