import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../clock.ts';
import { errorBody } from '../wire/envelope.ts';
import { ApiError } from '../wire/errors.ts';
import type { Listening } from './listen-query.ts';
import type { Delivery } from './pull-message.ts';
import { type Format, frame, type PullMessage } from './pull-message.ts';
import type { PullServer, Subscriber } from './pull-server.ts';
import { PULL_PATHS } from './pull-service.ts';

// nginx push-stream's "no news" answer: b24jssdk long-polling-connector reads `Last-Message-Id` only when `Expires`
// carries exactly this date.
const NO_NEWS_EXPIRES = 'Thu, 01 Jan 1973 11:11:01 GMT';
const JSON_TYPE = 'application/json; charset=utf-8';

/** A held long-poll request: answered by the first message, or by the timeout. */
class PollListener implements Subscriber {
  since = 0;
  readonly userId: number;
  readonly privateChannel: string | null;
  readonly channels: readonly string[];
  readonly format: Format;
  readonly viaToken: boolean;

  constructor(
    listening: Listening,
    private readonly answer: (deliveries: Delivery[]) => void,
  ) {
    this.userId = listening.userId;
    this.privateChannel = listening.privateChannel;
    this.channels = listening.channels;
    this.format = listening.format;
    this.viaToken = listening.viaToken;
  }

  deliver(message: PullMessage, channel: string): void {
    this.answer([[message, channel]]);
  }
}

/**
 * Long polling (`GET /sub/`), the clients' fallback when WebSocket fails: answers at once with what the client
 * missed since its `mid`, else holds the request until a message arrives or `timeoutMs` passes (then 304 with
 * `Last-Message-Id`). `POST /pub/` takes the `mack:` acknowledgements a JSON-RPC client sends while polling.
 */
export function registerLongPolling(
  fastify: FastifyInstance,
  server: PullServer,
  resolve: (query: URLSearchParams) => Promise<Listening | 'missing' | 'wrong'>,
  clock: Clock,
  timeoutMs: number,
): { close(): void } {
  const held = new Set<() => void>();

  const listen = async (req: FastifyRequest, reply: FastifyReply): Promise<Listening | undefined> => {
    // Frames are usually served from another origin than the push server (as on a portal).
    reply.header('access-control-allow-origin', '*').header('access-control-expose-headers', 'Last-Message-Id');
    const url = req.raw.url ?? '';
    const q = url.indexOf('?');
    const listening = await resolve(new URLSearchParams(q === -1 ? '' : url.slice(q + 1)));
    if (typeof listening !== 'string') return listening;
    const error = new ApiError(listening === 'missing' ? 'CHANNEL_ID_EMPTY' : 'WRONG_CHANNEL_ID');
    reply.code(error.status).type(JSON_TYPE).send(errorBody(error));
    return undefined;
  };

  fastify.get(PULL_PATHS.longPolling, async (req, reply) => {
    const listening = await listen(req, reply);
    if (!listening) return reply;
    reply.header('cache-control', 'no-cache');
    return new Promise<FastifyReply>((done) => {
      let settled = false;
      let timer: NodeJS.Timeout | undefined;
      let lastMid: string | undefined;
      const finish = (deliveries: Delivery[] | null) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        held.delete(stop);
        server.detach(listener);
        if (reply.raw.destroyed) return done(reply); // the client gave up; nobody to answer
        if (deliveries) {
          reply.code(200).type(listening.format === 'framed' ? 'text/plain; charset=utf-8' : JSON_TYPE);
          reply.send(frame(deliveries, listening.format, clock.now()));
        } else {
          reply.code(304).header('expires', NO_NEWS_EXPIRES);
          if (lastMid) reply.header('last-message-id', lastMid);
          reply.send();
        }
        done(reply);
      };
      const stop = () => finish(null);
      const listener = new PollListener(listening, finish);
      const backlog = server.attach(listener, listening.resume);
      if (backlog.length > 0) return finish(backlog);
      lastMid = listening.resume.mid ?? server.lastMid(listener);
      held.add(stop);
      timer = setTimeout(stop, timeoutMs);
      reply.raw.on('close', stop);
    });
  });

  fastify.post(PULL_PATHS.publish, async (req, reply) => {
    const listening = await listen(req, reply);
    if (!listening) return reply;
    const lines = (typeof req.body === 'string' ? req.body : '').split('\n').filter((line) => line.trim() !== '');
    if (lines.length === 0 || !lines.every((line) => line.startsWith('mack:'))) {
      const error = new ApiError('PUBLISH_DISABLED');
      return reply.code(error.status).type(JSON_TYPE).send(errorBody(error));
    }
    for (const line of lines) server.ack(listening.privateChannel ?? listening.channels[0], line.slice(5).trim());
    return reply.code(200).type(JSON_TYPE).send('{"result":true}');
  });

  return {
    close() {
      for (const stop of [...held]) stop();
    },
  };
}
