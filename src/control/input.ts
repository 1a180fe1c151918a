import { ApiError } from '../wire/errors.ts';

/** A control request's fields: the JSON body merged with the query string and path params. */
export type Input = Record<string, unknown>;

/** Bad input names the param: 400 `INVALID_REQUEST` "<name> must be …". */
export function bad(name: string, must: string): ApiError {
  return new ApiError('INVALID_REQUEST', `${name} ${must}`);
}

/** An integer field (a number or digits in a string) within bounds; undefined when absent. */
export function intField(input: Input, name: string, min: number, max: number): number | undefined {
  const value = input[name];
  if (value === undefined || value === '') return undefined;
  const n =
    typeof value === 'number' ? value : typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) throw bad(name, `must be an integer from ${min} to ${max}`);
  return n;
}

/** A number field (seconds may be fractional) within bounds; undefined when absent. */
export function numberField(input: Input, name: string, min: number, max: number): number | undefined {
  const value = input[name];
  if (value === undefined || value === '') return undefined;
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  if (!Number.isFinite(n) || n < min || n > max) throw bad(name, `must be a number from ${min} to ${max}`);
  return n;
}

export function stringField(input: Input, name: string): string | undefined {
  const value = input[name];
  if (value === undefined) return undefined;
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string' || value === '') throw bad(name, 'must be a non-empty string');
  return value;
}

export function required<T>(value: T | undefined, name: string): T {
  if (value === undefined) throw bad(name, 'is required');
  return value;
}

export function oneOf<T extends string>(input: Input, name: string, values: readonly T[]): T | undefined {
  const value = input[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !(values as readonly string[]).includes(value)) {
    throw bad(name, `must be one of ${values.join(', ')}`);
  }
  return value as T;
}

/** `*` any run of characters, `?` one; case-insensitive, as REST method names are. */
export function globMatcher(glob: string): (name: string) => boolean {
  const source = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  const re = new RegExp(`^${source}$`, 'i');
  return (name) => re.test(name);
}
