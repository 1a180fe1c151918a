import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Clock } from '../clock.ts';
import type { Pipeline } from './pipeline.ts';
import { type RestAnswer, type RestRoute, restAnswer, restRoute } from './rest-route.ts';

/** The content types SDKs send (b24jssdk, CRest, …), as written: any other goes through the framework. */
const PLAIN_TYPES = new Set([
  'application/json',
  'application/json; charset=utf-8',
  'application/json;charset=utf-8',
  'application/x-www-form-urlencoded',
  'application/x-www-form-urlencoded; charset=utf-8',
  'application/x-www-form-urlencoded;charset=utf-8',
]);

export interface FastPathOptions {
  pipeline: Pipeline;
  clock: Clock;
  bodyLimit: number;
  /** Whether the framework would route this method and path to the REST handler (not to another route). */
  restRouteOwns: (method: 'GET' | 'POST', pathname: string) => boolean;
  /** False while the server shuts down (the framework then answers 503) or when requests need its hooks. */
  active: () => boolean;
}

/**
 * The plain REST calls — GET without a body, or a POST with a JSON or form body of a known length within the limit
 * — answered straight from node:http, ahead of the framework, by the same pipeline and with the same bytes as the
 * framework's REST route (src/http/routes.ts). Everything else (multipart, chunked or oversized bodies, other
 * content types and methods, paths the REST route does not own, a server shutting down) returns false and goes to
 * the framework, which answers it as before. docs/decisions.md "Performance".
 */
export function restFastPath(options: FastPathOptions): (req: IncomingMessage, res: ServerResponse) => boolean {
  const { pipeline, clock, bodyLimit } = options;
  // Whether the REST route owns a path, by method: decided once per distinct path (bounded like the route cache).
  const owned = { GET: new Map<string, boolean>(), POST: new Map<string, boolean>() };
  const owns = (method: 'GET' | 'POST', pathname: string): boolean => {
    const known = owned[method];
    let answer = known.get(pathname);
    if (answer === undefined) {
      answer = options.restRouteOwns(method, pathname);
      if (known.size >= 1000) known.clear();
      known.set(pathname, answer);
    }
    return answer;
  };

  const send = (res: ServerResponse, answer: RestAnswer) => {
    res.writeHead(answer.status, { 'content-type': answer.type, 'content-length': Buffer.byteLength(answer.body) });
    res.end(answer.body);
  };
  // Written in the same turn when the pipeline answers at once (every cached read hit).
  const handle = (
    req: IncomingMessage,
    res: ServerResponse,
    route: RestRoute,
    call: { url: string; raw: string | undefined; startMs: number; startHr: number },
  ) => {
    const { headers } = req;
    const answer = restAnswer(pipeline, route, {
      url: call.url,
      contentType: headers['content-type'],
      body: call.raw,
      authorization: headers.authorization,
      startMs: call.startMs,
      startHr: call.startHr,
    });
    if (answer instanceof Promise) void answer.then((sent) => send(res, sent));
    else send(res, answer);
  };

  return (req, res) => {
    const method = req.method;
    if ((method !== 'POST' && method !== 'GET') || !options.active()) return false;
    const startMs = clock.now();
    const startHr = clock.hr();
    const url = req.url ?? '';
    const q = url.indexOf('?');
    const pathname = q === -1 ? url : url.slice(0, q);
    const route = restRoute(pathname);
    if (!route || !owns(method, pathname)) return false;
    const { headers } = req;
    const length = headers['content-length'];
    if (headers['transfer-encoding'] !== undefined) return false;
    const empty = length === undefined || length === '0';
    if (method === 'GET' || (empty && headers['content-type'] === undefined)) {
      if (!empty) return false; // a GET with a body: the framework ignores it, and so would we, but it is rare
      handle(req, res, route, { url, raw: undefined, startMs, startHr });
      return true;
    }
    const type = headers['content-type'];
    if (type === undefined || !PLAIN_TYPES.has(type.toLowerCase())) return false;
    if (!(Number(length) <= bodyLimit)) return false;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8');
      handle(req, res, route, { url, raw, startMs, startHr });
    });
    req.on('error', () => req.destroy());
    return true;
  };
}

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Puts `first` ahead of the request listener the framework attached to its server: what `first` takes (returns
 * true for) the framework never sees. The server itself (timeouts, TLS, client errors, closing) stays the
 * framework's.
 */
export function aheadOfFramework(server: Server, first: (req: IncomingMessage, res: ServerResponse) => boolean): void {
  const framework = server.listeners('request') as Listener[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (first(req, res)) return;
    for (const listener of framework) listener.call(server, req, res);
  });
}
