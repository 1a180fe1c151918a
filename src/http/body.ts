import { ApiError } from '../wire/errors.ts';
import { nestQuery } from '../wire/params/nest.ts';
import { parseJsonText, UnpairedSurrogate } from '../wire/params/text.ts';

/** Turns a raw body into params by its content type; JSON that does not parse is INVALID_REQUEST. */
export function parseBody(contentType: string | undefined, raw: string): unknown {
  if (raw.trim() === '') return undefined;
  const type = mediaType(contentType ?? '');
  if (type === 'application/json' || type.endsWith('+json')) return parseJson(raw);
  if (type === 'application/x-www-form-urlencoded') return nestQuery(raw);
  // Clients that omit the content type: guess from the first character.
  const first = raw.trimStart()[0];
  return first === '{' || first === '[' ? parseJson(raw) : nestQuery(raw);
}

/** Media types by raw header: a client sends one or two, each normalised once (bounded, emptied when full). */
const mediaTypes = new Map<string, string>();

function mediaType(header: string): string {
  let type = mediaTypes.get(header);
  if (type === undefined) {
    type = header.split(';')[0]!.trim().toLowerCase();
    if (mediaTypes.size >= 100) mediaTypes.clear();
    mediaTypes.set(header, type);
  }
  return type;
}

// PHP's json_decode stops at 512 levels, so the platform cannot read deeper bodies either; refusing them here also
// keeps every later step (params, logging, storage) free of pathological nesting.
const MAX_JSON_DEPTH = 512;

function parseJson(raw: string): unknown {
  // Nesting deeper than the limit takes more opening brackets than a shorter text holds.
  if (raw.length > MAX_JSON_DEPTH && jsonDepth(raw) > MAX_JSON_DEPTH) {
    throw new ApiError(
      'INVALID_REQUEST',
      `JSON in the request body is nested deeper than ${MAX_JSON_DEPTH} levels`,
      400,
    );
  }
  try {
    return parseJsonText(raw);
  } catch (error) {
    const why = error instanceof UnpairedSurrogate ? `: ${error.message}` : '';
    throw new ApiError('INVALID_REQUEST', `Invalid JSON in the request body${why}`, 400);
  }
}

/** The deepest nesting of objects and arrays in a JSON text, found in one pass without parsing it. */
function jsonDepth(raw: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) max = Math.max(max, ++depth);
    else if (c === 0x7d || c === 0x5d) depth--;
  }
  return max;
}
