import { ApiError } from '../errors.ts';
import { INVALID, type ParamShape, type ParamSpec, type ParamValues } from './coerce.ts';

/**
 * How a call reports a param it cannot bind.
 * - `rest`: v1 methods. The spec's own code (`BOT_ID_ERROR`, `DIALOG_ID_EMPTY`, …) where the page names one, else
 *   INVALID_REQUEST naming the param.
 * - `controller`: v2 methods are REST controllers whose arguments are bound like PHP action parameters; a missing
 *   or mistyped one is error 100 in the binder's own wording (b24restdocs tasks/booking pages: "Could not find value
 *   for parameter {id}", "Invalid value {stringValue} to match with parameter {id}. Should be value of type int.").
 *   The pages' own codes (BOT_CODE_REQUIRED, …) are checked by the handlers.
 */
export type Binding = 'rest' | 'controller';

interface BindErrors {
  missing(name: string, spec: ParamSpec<unknown, boolean>): ApiError;
  invalid(name: string, spec: ParamSpec<unknown, boolean>, value: unknown): ApiError;
}

function shown(raw: unknown): string {
  return typeof raw === 'object' ? JSON.stringify(raw) : String(raw);
}

const ERRORS: Record<Binding, BindErrors> = {
  rest: {
    missing: (name, spec) =>
      spec.missingCode
        ? new ApiError(spec.missingCode.code, spec.missingCode.description)
        : new ApiError('INVALID_REQUEST', `Parameter ${name} is required`, 400),
    invalid: (name, spec) =>
      spec.invalidCode
        ? new ApiError(spec.invalidCode.code, spec.invalidCode.description)
        : new ApiError('INVALID_REQUEST', `Parameter ${name} has wrong type`, 400),
  },
  controller: {
    missing: (name) => new ApiError('100', `Could not find value for parameter {${name}}`),
    invalid: (name, spec, value) =>
      new ApiError(
        '100',
        `Invalid value ${shown(value)} to match with parameter {${name}}. Should be value of type ${spec.type}.`,
      ),
  },
};

function isEmpty(raw: unknown): boolean {
  return raw === undefined || raw === null || raw === '';
}

/**
 * The one param binder of every method: coerces raw params by the shape, in declaration order, so the first
 * failing param decides the error. Absent or empty → the spec's default, else nothing if optional, else missing.
 */
export function bindParams<S extends ParamShape>(
  shape: S,
  raw: Record<string, unknown>,
  binding: Binding = 'rest',
): ParamValues<S> {
  const errors = ERRORS[binding];
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(shape)) {
    const value = raw[name];
    if (isEmpty(value)) {
      if (spec.defaultValue !== undefined) out[name] = spec.defaultValue;
      else if (!spec.isOptional) throw errors.missing(name, spec);
      continue;
    }
    const coerced = spec.coerce(value);
    if (coerced === INVALID) throw errors.invalid(name, spec, value);
    out[name] = coerced;
  }
  return out as ParamValues<S>;
}
