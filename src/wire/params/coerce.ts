import { ApiError, type ErrorCode } from '../errors.ts';

// Form and query params arrive as strings, JSON ones typed; every method accepts both
// (b24restdocs settings/how-to-call-rest-api/data-encoding.md). A param spec coerces one raw value.

type Coercer<T> = (raw: unknown) => T | typeof INVALID;
type ParamError = { code: ErrorCode; description?: string };
const INVALID = Symbol('invalid');

export class ParamSpec<T, Opt extends boolean = false> {
  constructor(
    readonly coerce: Coercer<T>,
    readonly isOptional: Opt,
    readonly defaultValue: T | undefined,
    readonly invalidCode: ParamError | null,
    readonly missingCode: ParamError | null,
  ) {}
  optional(): ParamSpec<T, true> {
    return new ParamSpec<T, true>(this.coerce, true, this.defaultValue, this.invalidCode, this.missingCode);
  }
  /** Absent or empty → this value (and the param counts as given). */
  default(value: T): ParamSpec<T, false> {
    return new ParamSpec<T, false>(this.coerce, false, value, this.invalidCode, this.missingCode);
  }
  /** Error code for a value of the wrong type (default: INVALID_REQUEST naming the param). */
  invalid(code: ErrorCode, description?: string): ParamSpec<T, Opt> {
    return new ParamSpec<T, Opt>(
      this.coerce,
      this.isOptional,
      this.defaultValue,
      { code, description },
      this.missingCode,
    );
  }
  /** Error code when a required param is absent or empty (default: INVALID_REQUEST naming the param). */
  missing(code: ErrorCode, description?: string): ParamSpec<T, Opt> {
    return new ParamSpec<T, Opt>(this.coerce, this.isOptional, this.defaultValue, this.invalidCode, {
      code,
      description,
    });
  }
}

export type ParamShape = Record<string, ParamSpec<any, boolean>>;
export type ParamValues<S extends ParamShape> = {
  [K in keyof S]: S[K] extends ParamSpec<infer T, infer O> ? (O extends true ? T | undefined : T) : never;
};

function isEmpty(raw: unknown): boolean {
  return raw === undefined || raw === null || raw === '';
}

/** Coerces raw params by the shape, in declaration order, so the first failing param decides the error. */
export function coerceParams<S extends ParamShape>(shape: S, raw: Record<string, unknown>): ParamValues<S> {
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(shape)) {
    const value = raw[name];
    if (isEmpty(value)) {
      if (spec.defaultValue !== undefined) out[name] = spec.defaultValue;
      else if (!spec.isOptional) {
        throw spec.missingCode
          ? new ApiError(spec.missingCode.code, spec.missingCode.description)
          : new ApiError('INVALID_REQUEST', `Parameter ${name} is required`, 400);
      }
      continue;
    }
    const coerced = spec.coerce(value);
    if (coerced === INVALID) {
      throw spec.invalidCode
        ? new ApiError(spec.invalidCode.code, spec.invalidCode.description)
        : new ApiError('INVALID_REQUEST', `Parameter ${name} has wrong type`, 400);
    }
    out[name] = coerced;
  }
  return out as ParamValues<S>;
}

function spec<T>(coerce: Coercer<T>): ParamSpec<T, false> {
  return new ParamSpec<T, false>(coerce, false, undefined, null, null);
}

const MAX_ID = 2 ** 31 - 1;

const toInt: Coercer<number> = (raw) => {
  if (typeof raw === 'number') return Number.isSafeInteger(raw) ? raw : INVALID;
  if (typeof raw === 'string' && /^\s*-?\d{1,15}\s*$/.test(raw)) return Number(raw);
  return INVALID;
};

const toStr: Coercer<string> = (raw) => {
  if (typeof raw === 'string') return raw;
  if (typeof raw === 'number' || typeof raw === 'boolean') return String(raw);
  return INVALID;
};

// Bitrix24 booleans: "Y"/"N" in v1, true/false/1/0 elsewhere (b24restdocs api-reference/data-types.md).
const TRUE = new Set(['y', 'yes', 'true', '1', 'on']);
const FALSE = new Set(['n', 'no', 'false', '0', 'off', '']);
const toBool: Coercer<boolean> = (raw) => {
  if (typeof raw === 'boolean') return raw;
  if (typeof raw === 'number') return raw !== 0;
  if (typeof raw === 'string') {
    const v = raw.trim().toLowerCase();
    if (TRUE.has(v)) return true;
    if (FALSE.has(v)) return false;
  }
  return INVALID;
};

/** PHP lists come as arrays (JSON, `a[]=`) or as objects with numeric keys (`a[0]=`). */
function toList(raw: unknown): unknown[] | typeof INVALID {
  if (Array.isArray(raw)) return raw;
  if (raw && typeof raw === 'object') return Object.values(raw);
  return INVALID;
}

function listOf<T>(item: Coercer<T>): Coercer<T[]> {
  return (raw) => {
    const list = toList(raw);
    if (list === INVALID) return INVALID;
    const out: T[] = [];
    for (const entry of list) {
      const value = item(entry);
      if (value === INVALID) return INVALID;
      out.push(value);
    }
    return out;
  };
}

const toObject: Coercer<Record<string, unknown>> = (raw) =>
  raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : INVALID;

export const p = {
  int: () => spec(toInt),
  /**
   * A positive integer id; 0, negatives and values past 2147483647 (the platform's INT ids, our PostgreSQL
   * `integer`) are wrong values, so an absurd id is the param's own error rather than a failing query.
   */
  id: () =>
    spec<number>((raw) => {
      const n = toInt(raw);
      return n === INVALID || n <= 0 || n > MAX_ID ? INVALID : n;
    }),
  string: () => spec(toStr),
  bool: () => spec(toBool),
  intList: () => spec(listOf(toInt)),
  stringList: () => spec(listOf(toStr)),
  object: () => spec(toObject),
  any: () => spec<unknown>((raw) => raw),
  oneOf: <T extends string>(...values: T[]) =>
    spec<T>((raw) => {
      const s = toStr(raw);
      if (s === INVALID) return INVALID;
      const upper = s.toUpperCase();
      return (values.find((v) => v.toUpperCase() === upper) ?? INVALID) as T | typeof INVALID;
    }),
};

export { INVALID, toBool as coerceBool, toInt as coerceInt };
