import { ApiError } from './errors.ts';
import { nestQuery } from './params/nest.ts';

/** Turns a raw body into params by its content type; JSON that does not parse is INVALID_REQUEST. */
export function parseBody(contentType: string | undefined, raw: string): unknown {
  if (raw.trim() === '') return undefined;
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/json' || type.endsWith('+json')) return parseJson(raw);
  if (type === 'application/x-www-form-urlencoded') return nestQuery(raw);
  // Clients that omit the content type: guess from the first character.
  const first = raw.trimStart()[0];
  return first === '{' || first === '[' ? parseJson(raw) : nestQuery(raw);
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    throw new ApiError('INVALID_REQUEST', 'Invalid JSON in the request body', 400);
  }
}
