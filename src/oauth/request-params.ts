import type { FastifyRequest } from 'fastify';
import { parseBody } from '../http/body.ts';
import { ApiError } from '../wire/errors.ts';
import { collectParams } from '../wire/params/collect.ts';
import type { Params } from '../wire/params/nest.ts';

/**
 * Query and body params of an OAuth request (GET query, POST form or JSON), body keys winning as in REST.
 * An unreadable body is the OAuth server's `invalid_request`, not the REST `INVALID_REQUEST`.
 */
export function requestParams(req: FastifyRequest): Params {
  const url = req.raw.url ?? '';
  const q = url.indexOf('?');
  try {
    const body = typeof req.body === 'string' ? parseBody(req.headers['content-type'], req.body) : req.body;
    return collectParams({ query: q === -1 ? '' : url.slice(q + 1), body });
  } catch (error) {
    throw new ApiError('invalid_request', error instanceof ApiError ? error.description : undefined);
  }
}
