import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../clock.ts';
import { errorBody } from '../wire/envelope.ts';
import { ApiError } from '../wire/errors.ts';
import { parseMultipart } from './multipart.ts';
import type { Pipeline } from './pipeline.ts';
import { restAnswer, restRoute } from './rest-route.ts';
import { tooLargeDescription } from './too-large.ts';

const JSON_TYPE = 'application/json; charset=utf-8';

/** Bodies stay raw strings until a route decides how to read them; multipart is parsed as it streams. */
export function registerBodyParsers(fastify: FastifyInstance, bodyLimit: number): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  fastify.addContentTypeParser('multipart/form-data', (req, payload, done) => {
    parseMultipart(req.headers, payload, bodyLimit).then(
      (value) => done(null, value),
      (error) => done(error as Error),
    );
  });
}

/** Framework errors (oversized or unreadable bodies, unknown paths) answer in the Bitrix24 envelope too. */
export function registerErrorAnswers(fastify: FastifyInstance, pipeline: Pipeline): void {
  fastify.setErrorHandler((error: Error & { code?: string; statusCode?: number }, _req, reply) => {
    let answer: ApiError;
    if (error instanceof ApiError) answer = error;
    else if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      answer = new ApiError('REQUEST_TOO_LARGE', tooLargeDescription(fastify.initialConfig.bodyLimit ?? 0));
    } else if (error.statusCode && error.statusCode < 500) answer = new ApiError('INVALID_REQUEST', error.message, 400);
    else {
      const failure = pipeline.failure(error);
      return reply.code(failure.status).type(JSON_TYPE).send(failure.body);
    }
    return reply.code(answer.status).type(JSON_TYPE).send(errorBody(answer));
  });
  fastify.setNotFoundHandler((_req, reply) => {
    reply
      .code(404)
      .type(JSON_TYPE)
      .send(errorBody({ code: 'NOT_FOUND', description: 'Not found' }));
  });
}

/**
 * Errors Fastify raises before routing (a path that is not valid percent-encoding) get the envelope too: under
 * `/rest/` the same answer as any path that names no method.
 */
export function frameworkErrors(_error: Error, req: FastifyRequest, reply: FastifyReply): void {
  const answer = (req.raw.url ?? '').replace(/^\/{2,}/, '/').startsWith('/rest/')
    ? new ApiError('ERROR_METHOD_NOT_FOUND')
    : new ApiError('NOT_FOUND', 'Not found', 404);
  reply.code(answer.status).type(JSON_TYPE).send(errorBody(answer));
}

/**
 * Errors of the connection before a request exists (a client too slow with its headers or body, headers too large,
 * unparsable HTTP) answer the envelope too, then the socket is closed, as Node itself does.
 */
export function clientErrors(error: Error & { code?: string }, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const answer =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? new ApiError('REQUEST_TIMEOUT')
      : error.code === 'HPE_HEADER_OVERFLOW'
        ? new ApiError('REQUEST_HEADER_TOO_LARGE')
        : new ApiError('INVALID_REQUEST');
  const body = errorBody(answer);
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Content-Type: ${JSON_TYPE}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}

/** Whether the router sends a GET or POST of `pathname` to the REST route (`/rest/*`) rather than to another one. */
export function restRouteOwns(fastify: FastifyInstance) {
  return (method: 'GET' | 'POST', pathname: string): boolean => {
    try {
      return fastify.findRoute({ method, url: pathname })?.params['*'] !== undefined;
    } catch {
      return false; // what the router cannot read goes to it, which answers as it always did
    }
  };
}

/** Every REST shape under `/rest/`, GET and POST, JSON, form, multipart and query params. */
export function registerRest(fastify: FastifyInstance, pipeline: Pipeline, clock: Clock): void {
  const handler = async (req: import('fastify').FastifyRequest, reply: import('fastify').FastifyReply) => {
    const startMs = clock.now();
    const startHr = clock.hr();
    const url = req.raw.url ?? '';
    const q = url.indexOf('?');
    const pathname = q === -1 ? url : url.slice(0, q);
    const route = restRoute(pathname);
    if (!route) {
      return reply
        .code(404)
        .type(JSON_TYPE)
        .send(errorBody(new ApiError('ERROR_METHOD_NOT_FOUND')));
    }
    const answer = await restAnswer(pipeline, route, {
      url,
      contentType: req.headers['content-type'],
      body: req.body,
      authorization: req.headers.authorization,
      startMs,
      startHr,
    });
    return reply.code(answer.status).type(answer.type).send(answer.body);
  };
  fastify.route({ method: ['GET', 'POST', 'PUT'], url: '/rest/*', handler });
}
