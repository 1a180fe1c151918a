import { ApiError } from '../../wire/errors.ts';
import { INVALID, type ParamSpec } from '../../wire/params/coerce.ts';

// v2 methods are REST controllers: their arguments are bound like PHP action parameters, and an argument that is
// missing or of the wrong type is error 100 with the binder's own wording (b24restdocs tasks/booking pages:
// "Could not find value for parameter {id}", "Invalid value {stringValue} to match with parameter {id}. Should be
// value of type int."). The pages' own codes (BOT_CODE_REQUIRED, …) are checked by the handlers.

/** One argument: its coercion, and the PHP type the message names (`int`, `string`, `bool`, `array`). */
export type Arg = readonly [ParamSpec<any, boolean>, string];
export type ArgShape = Record<string, Arg>;
export type ArgValues<S extends ArgShape> = {
  [K in keyof S]: S[K][0] extends ParamSpec<infer T, infer O> ? (O extends true ? T | undefined : T) : never;
};

function isEmpty(raw: unknown): boolean {
  return raw === undefined || raw === null || raw === '';
}

function shown(raw: unknown): string {
  return typeof raw === 'object' ? JSON.stringify(raw) : String(raw);
}

export function bindArgs<S extends ArgShape>(shape: S, raw: Record<string, unknown>): ArgValues<S> {
  const out: Record<string, unknown> = {};
  for (const [name, [spec, type]] of Object.entries(shape)) {
    const value = raw[name];
    if (isEmpty(value)) {
      if (spec.defaultValue !== undefined) out[name] = spec.defaultValue;
      else if (!spec.isOptional) throw new ApiError('100', `Could not find value for parameter {${name}}`);
      continue;
    }
    const coerced = spec.coerce(value);
    if (coerced === INVALID) {
      throw new ApiError(
        '100',
        `Invalid value ${shown(value)} to match with parameter {${name}}. Should be value of type ${type}.`,
      );
    }
    out[name] = coerced;
  }
  return out as ArgValues<S>;
}
