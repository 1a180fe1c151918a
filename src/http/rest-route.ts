import type { MaybePromise } from '../wire/maybe-promise.ts';
import { withoutNul } from '../wire/params/text.ts';
import { XML_TYPE, xmlEnvelope } from '../wire/xml.ts';
import { parseBody } from './body.ts';
import type { Pipeline, RestResponse } from './pipeline.ts';

const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * Splits a REST path into credentials and method name. Accepted shapes (b24restdocs general-principles.md):
 * `/rest/{userId}/{token}/{method}[.json]`, `/rest/{method}[.json]`, a trailing slash, and the empty segment
 * that `@bitrix24/b24jssdk` sends for OAuth (`/rest//{method}`).
 */
export interface RestRoute {
  method: string;
  webhook?: { userId: string; token: string };
  format: 'json' | 'xml';
}

/** Parsed routes by raw path: a client calls few distinct paths, each parsed once (bounded, emptied when full). */
const routes = new Map<string, RestRoute | null>();
const MAX_ROUTES = 1000;

/**
 * The route of a request path, or null where it names no method (`/rest/api` included). `//rest/…`: a base URL
 * ending in `/` joined to a path starting with one; a portal behind a slash-merging proxy answers it, so the
 * leading slashes are one.
 */
export function restRoute(pathname: string): RestRoute | null {
  let route = routes.get(pathname);
  if (route === undefined) {
    route = parseRestPath(pathname.startsWith('//') ? pathname.replace(/^\/{2,}/, '/') : pathname);
    if (route?.method.toLowerCase() === 'api') route = null;
    if (routes.size >= MAX_ROUTES) routes.clear();
    routes.set(pathname, route);
  }
  return route;
}

function parseRestPath(pathname: string): RestRoute | null {
  if (!pathname.startsWith('/rest/')) return null;
  const segments: string[] = [];
  for (const raw of pathname.slice('/rest/'.length).split('/')) {
    if (raw === '') continue;
    // Paths seldom hold escapes: decoding only those that do keeps every call free of a try/catch.
    const segment = raw.includes('%') ? safeDecode(raw) : raw;
    if (segment === null) return null;
    segments.push(segment);
  }
  if (segments.length === 1) return withFormat(segments[0], undefined);
  if (segments.length === 3) return withFormat(segments[2], { userId: segments[0], token: segments[1] });
  return null;
}

/** `name.json` / `name.xml` (any case) → the method and the answer format; anything else is JSON. */
function withFormat(name: string, webhook: RestRoute['webhook']): RestRoute {
  const dot = name.lastIndexOf('.');
  const suffix = dot === -1 ? '' : name.slice(dot + 1).toLowerCase();
  if (suffix === 'json' || suffix === 'xml') return { method: name.slice(0, dot), webhook, format: suffix };
  return { method: name, webhook, format: 'json' };
}

function safeDecode(segment: string): string | null {
  try {
    return withoutNul(decodeURIComponent(segment));
  } catch {
    return null;
  }
}

/** A REST request as both routes (the framework's and the one ahead of it) hand it over. */
export interface RestCall {
  url: string;
  contentType: string | undefined;
  /** The raw body (parsed here by its content type), an already-parsed one (multipart), or none. */
  body: unknown;
  authorization: string | undefined;
  startMs: number;
  startHr: number;
}

/** A REST answer as sent: status, content type and body. */
export interface RestAnswer {
  status: number;
  type: string;
  body: string;
}

/**
 * The answer to a REST call as sent: the pipeline's, in the route's format; at once when the pipeline answers at
 * once. A body that cannot be read, or a failure past the pipeline, is answered in JSON whatever the suffix.
 */
export function restAnswer(pipeline: Pipeline, route: RestRoute, call: RestCall): MaybePromise<RestAnswer> {
  const q = call.url.indexOf('?');
  try {
    const body = typeof call.body === 'string' ? parseBody(call.contentType, call.body) : call.body;
    const answer = pipeline.handle({
      method: route.method,
      webhook: route.webhook,
      query: q === -1 ? '' : call.url.slice(q + 1),
      body,
      authorization: call.authorization,
      startMs: call.startMs,
      startHr: call.startHr,
    });
    if (!(answer instanceof Promise)) return formatted(route, answer);
    return answer.then((sent) => formatted(route, sent)).catch((error) => failed(pipeline, error));
  } catch (error) {
    return failed(pipeline, error);
  }
}

function formatted(route: RestRoute, answer: RestResponse): RestAnswer {
  return route.format === 'xml'
    ? { status: answer.status, type: XML_TYPE, body: xmlEnvelope(answer.body) }
    : { status: answer.status, type: JSON_TYPE, body: answer.body };
}

function failed(pipeline: Pipeline, error: unknown): RestAnswer {
  const failure = pipeline.failure(error);
  return { status: failure.status, type: JSON_TYPE, body: failure.body };
}
