import { ApiError } from '../errors.ts';
import { nestQuery, type Params } from './nest.ts';

/** What the wire layer hands to parameter collection: the raw query string and an already-parsed body. */
export interface RawInput {
  query: string;
  body: unknown;
}

/**
 * Merges query-string and body params like PHP's `$_REQUEST`: body keys win over query keys
 * (b24restdocs is silent on precedence; see docs/decisions.md). A JSON array body is positional params.
 */
export function collectParams(input: RawInput): Params {
  const body = input.body;
  // A POST body alone (what SDKs send) is its own params: the parsed body is this call's, so no copy is needed.
  if (input.query === '' && typeof body === 'object' && body !== null && !Array.isArray(body)) return body as Params;
  const fromQuery = nestQuery(input.query);
  if (body === undefined || body === null || body === '') return fromQuery;
  if (Array.isArray(body)) return { ...fromQuery, ...Object.fromEntries(body.map((v, i) => [String(i), v])) };
  if (typeof body === 'object') return { ...fromQuery, ...(body as Params) };
  throw new ApiError('INVALID_REQUEST', 'Request body must be a JSON object, a form or a query string');
}
