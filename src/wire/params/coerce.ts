import type { ErrorCode } from '../errors.ts';

// Form and query params arrive as strings, JSON ones typed; every method accepts both
// (b24restdocs settings/how-to-call-rest-api/data-encoding.md). A param spec coerces one raw value; bind.ts
// applies a shape of them to a call.

type Coercer<T> = (raw: unknown) => T | typeof INVALID;
export type ParamError = { code: ErrorCode; description?: string };
/** The PHP type a v2 controller's binder names in its error 100 (`int`, `string`, `bool`, `array`). */
export type PhpType = 'int' | 'string' | 'bool' | 'array' | 'mixed';
const INVALID = Symbol('invalid');

export class ParamSpec<T, Opt extends boolean = false> {
  constructor(
    readonly coerce: Coercer<T>,
    readonly type: PhpType,
    readonly isOptional: Opt,
    readonly defaultValue: T | undefined,
    readonly invalidCode: ParamError | null,
    readonly missingCode: ParamError | null,
  ) {}
  optional(): ParamSpec<T, true> {
    return new ParamSpec<T, true>(this.coerce, this.type, true, this.defaultValue, this.invalidCode, this.missingCode);
  }
  /** Absent or empty → this value (and the param counts as given). */
  default(value: T): ParamSpec<T, false> {
    return new ParamSpec<T, false>(this.coerce, this.type, false, value, this.invalidCode, this.missingCode);
  }
  /** Error code for a value of the wrong type (default: INVALID_REQUEST naming the param). */
  invalid(code: ErrorCode, description?: string): ParamSpec<T, Opt> {
    return new ParamSpec<T, Opt>(
      this.coerce,
      this.type,
      this.isOptional,
      this.defaultValue,
      { code, description },
      this.missingCode,
    );
  }
  /** Error code when a required param is absent or empty (default: INVALID_REQUEST naming the param). */
  missing(code: ErrorCode, description?: string): ParamSpec<T, Opt> {
    return new ParamSpec<T, Opt>(this.coerce, this.type, this.isOptional, this.defaultValue, this.invalidCode, {
      code,
      description,
    });
  }
}

export type ParamShape = Record<string, ParamSpec<any, boolean>>;
export type ParamValues<S extends ParamShape> = {
  [K in keyof S]: S[K] extends ParamSpec<infer T, infer O> ? (O extends true ? T | undefined : T) : never;
};

function spec<T>(coerce: Coercer<T>, type: PhpType): ParamSpec<T, false> {
  return new ParamSpec<T, false>(coerce, type, false, undefined, null, null);
}

const MAX_ID = 2 ** 31 - 1;

/** Every int param is a 32-bit integer, the store's `integer`: a value past it is the param's wrong value. */
const toInt: Coercer<number> = (raw) => {
  let n: number | typeof INVALID = INVALID;
  if (typeof raw === 'number') n = Number.isSafeInteger(raw) ? raw : INVALID;
  else if (typeof raw === 'string' && /^\s*-?\d{1,15}\s*$/.test(raw)) n = Number(raw);
  return n !== INVALID && n >= -MAX_ID - 1 && n <= MAX_ID ? n : INVALID;
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
  int: () => spec(toInt, 'int'),
  /**
   * A positive integer id; 0, negatives and values past 2147483647 (the platform's INT ids, our PostgreSQL
   * `integer`) are wrong values, so an absurd id is the param's own error rather than a failing query.
   */
  id: () =>
    spec<number>((raw) => {
      const n = toInt(raw);
      return n === INVALID || n <= 0 || n > MAX_ID ? INVALID : n;
    }, 'int'),
  /**
   * A string; with `max`, one longer than that many characters (the platform's column, e.g. varchar(50)) is a wrong
   * value, so it cannot outgrow what the store indexes.
   */
  string: (max?: number) =>
    spec<string>((raw) => {
      const s = toStr(raw);
      return max !== undefined && s !== INVALID && s.length > max ? INVALID : s;
    }, 'string'),
  bool: () => spec(toBool, 'bool'),
  intList: () => spec(listOf(toInt), 'array'),
  stringList: () => spec(listOf(toStr), 'array'),
  object: () => spec(toObject, 'array'),
  any: () => spec<unknown>((raw) => raw, 'mixed'),
  oneOf: <T extends string>(...values: T[]) =>
    spec<T>((raw) => {
      const s = toStr(raw);
      if (s === INVALID) return INVALID;
      const upper = s.toUpperCase();
      return (values.find((v) => v.toUpperCase() === upper) ?? INVALID) as T | typeof INVALID;
    }, 'string'),
};

export { INVALID, toBool as coerceBool, toInt as coerceInt };
