import Fastify, { type FastifyInstance, LogController } from 'fastify';
import type { Logger } from 'pino';
import { type Clock, VirtualClock } from './clock.ts';
import type { Config } from './config/config.ts';
import { createCore } from './core.ts';
import type { EventSink } from './domain/events.ts';
import type { Domain } from './domain/index.ts';
import { registerHealth } from './http/health.ts';
import { Pipeline } from './http/pipeline.ts';
import { aheadOfFramework, restFastPath } from './http/rest-fast-path.ts';
import {
  clientErrors,
  frameworkErrors,
  registerBodyParsers,
  registerErrorAnswers,
  registerRest,
  restRouteOwns,
} from './http/routes.ts';
import { sameOriginGuard } from './http/same-origin.ts';
import type { RateLimiter } from './limits/leaky-bucket.ts';
import type { OperatingLimiter } from './limits/operating-time.ts';
import { createLogger, logCall } from './logging.ts';
import type { Services } from './methods/define.ts';
import { loadRegistry, type Registry } from './methods/registry.ts';
import type { Hub } from './realtime/hub.ts';
import type { Database } from './store/db.ts';
import { pendingMigrations } from './store/migrate.ts';
import { ApiError } from './wire/errors.ts';

export interface AppDeps {
  config: Config;
  db: Database;
  clock?: Clock;
  hub?: Hub;
  rate?: RateLimiter;
  operating?: OperatingLimiter;
  /** TLS key and certificate when B24_TLS is on. */
  https?: { key: string; cert: string };
  /** Where bot events go; default: the durable event log (OutboxEventSink). */
  events?: EventSink;
  /** The server's log; default: stdout as LOG_LEVEL and B24_LOG_FORMAT say (tests read it here). */
  log?: Logger;
}

export interface App {
  fastify: FastifyInstance;
  services: Services;
  domain: Domain;
  pipeline: Pipeline;
  /** The store, for features with tables of their own (pull channels). */
  db: Database;
  /** Base URL once listening (or the configured public URL). */
  baseUrl(): string;
  /** Drops every per-process cache: the store was changed behind the app's back (the control API's reset). */
  forget(): void;
  /** Registers a cache a feature keeps, to be dropped by `forget`. */
  onForget(drop: () => void): void;
  /** Set by the control API: sees and may disturb every event delivery attempt. */
  deliveryTap?: DeliveryTap;
  /** Calls `listener` whenever this process commits events (other processes hear of them by NOTIFY); returns its removal. */
  onEventsCommitted(listener: () => void): () => void;
  listen(): Promise<string>;
  close(): Promise<void>;
}

/** One attempt to POST an event to a handler URL, as the dispatcher is about to send it. */
export interface DeliveryAttempt {
  deliveryId: number;
  eventId: number;
  event: string;
  url: string;
  appKey: string;
  botIds: number[];
  dialogId: string;
  /** 1 for the first attempt. */
  attempt: number;
  /** The POST's fields before form encoding. */
  payload: Record<string, unknown>;
}

/** How an injected delivery fault treats an attempt (the control API's event-delivery rules). */
export type DeliveryFault = { faultId: string } & (
  | { action: 'fail' }
  | { action: 'delay'; ms: number }
  | { action: 'duplicate' }
  | { action: 'reorder'; holdMs: number }
);

export interface DeliveryOutcome {
  status: number | null;
  /** The handler's answer (text, cut to a few kilobytes). */
  answer: string | null;
  error: string | null;
  durationMs: number;
  faultId?: string;
}

export interface DeliveryTap {
  before(attempt: DeliveryAttempt): DeliveryFault | undefined;
  after(attempt: DeliveryAttempt, outcome: DeliveryOutcome): void;
}

/** A feature mounts its routes and background work on the app; features never import each other. */
export type Feature = (app: App) => void | Stop | Promise<void> | Promise<Stop>;
/** What a feature returns to be stopped when the app closes. */
export type Stop = () => Promise<void> | void;

let registryPromise: Promise<Registry> | undefined;

/** Starts loading the method modules, the longest step of start-up, so the caller can overlap it with other work. */
export function preloadRegistry(): Promise<Registry> {
  registryPromise ??= loadRegistry();
  return registryPromise;
}

/** Builds one isolated server: no module-level state besides the immutable method registry. */
export async function createApp(deps: AppDeps, features: Feature[] = []): Promise<App> {
  const { config, db } = deps;
  // Each app its own clock: the control API freezes and moves this server's time, not the process's.
  const clock = deps.clock ?? new VirtualClock();
  const registry = await preloadRegistry();
  const { headersMs, requestMs, idleMs } = config.timeouts;
  // Node checks the headers and request timeouts every `connectionsCheckingInterval` (30 s by default): often
  // enough here that a slow client is cut off close to its timeout.
  const socketOptions = {
    headersTimeout: headersMs,
    requestTimeout: requestMs,
    connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(headersMs / 2))),
  };
  const log = deps.log ?? createLogger(config);
  const fastify = Fastify({
    loggerInstance: log,
    // One line per REST call instead (logCall), without the URL's webhook code.
    logController: new LogController({ disableRequestLogging: true }),
    // Nothing logs through a request's own logger: no pino child (with its bindings) made per request.
    childLoggerFactory: (logger) => logger,
    bodyLimit: config.bodyLimit,
    frameworkErrors,
    clientErrorHandler: clientErrors,
    routerOptions: { ignoreDuplicateSlashes: true, ignoreTrailingSlash: true, maxParamLength: 1000 },
    requestTimeout: requestMs,
    connectionTimeout: idleMs,
    keepAliveTimeout: idleMs,
    ...(deps.https ? { https: { ...deps.https, ...socketOptions } } : { http: socketOptions }),
  }) as unknown as FastifyInstance;
  let base = config.publicUrl ?? '';
  const core = await createCore({
    config,
    db,
    clock,
    hub: deps.hub,
    events: deps.events,
    baseUrl: () => base,
    onDriverError: (error) => fastify.log.error({ err: error }, 'redis driver'),
  });
  const { drivers, hub, domain, portal } = core;
  const rate = deps.rate ?? drivers.rate;
  const operating = deps.operating ?? drivers.operating;

  const services: Services = {
    domain,
    config,
    clock,
    hub,
    registry,
    portal,
    invoke: (name, raw, caller) => pipeline.invoke(name, raw, caller),
    extensions: {},
    log: fastify.log,
  };
  const pipeline = new Pipeline(services, rate, operating, fastify.log);
  if (log.isLevelEnabled('info')) pipeline.observe({ answered: (call) => logCall(log, call) });

  fastify.addHook('onRequest', sameOriginGuard(config));
  let draining = false;
  registerHealth(fastify, {
    store: async () => void (await db.query('SELECT 1')),
    migrations: async () => {
      const pending = await pendingMigrations(db);
      return pending.length ? `not applied: ${pending.join(', ')}` : undefined;
    },
    ...(drivers.redis && { redis: async () => void (await drivers.redis!.ping()) }),
    accepting: async () => (draining ? 'shutting down' : undefined),
  });
  if (drivers.redis) {
    const { redis, shared } = drivers;
    // Before a request: Redis must answer (else 503, what an overloaded portal answers) and this node must have
    // applied every cache change other nodes acknowledged. After it: its own changes are announced.
    fastify.addHook('onRequest', (req, _reply, done) => {
      if (req.url === '/healthz' || req.url === '/readyz') return done();
      if (!redis.ready()) return done(new ApiError('OVERLOAD_LIMIT'));
      shared.caches.fresh().then(
        () => shared.caches.enter(done),
        () => done(new ApiError('OVERLOAD_LIMIT')),
      );
    });
    fastify.addHook('onSend', async (_req, _reply, payload) => {
      await shared.caches.settle().catch((error) => fastify.log.error({ err: error }, 'cache announcement failed'));
      return payload;
    });
  }
  registerBodyParsers(fastify, config.bodyLimit);
  registerErrorAnswers(fastify, pipeline);
  registerRest(fastify, pipeline, clock);
  // The plain REST calls skip the framework (P1, docs/decisions.md "Performance"); with Redis every request needs
  // the hooks above, and a closing server the framework's 503, so then it answers them all.
  aheadOfFramework(
    fastify.server,
    restFastPath({
      pipeline,
      clock,
      bodyLimit: config.bodyLimit,
      restRouteOwns: restRouteOwns(fastify),
      active: () => !draining && !drivers.redis,
    }),
  );

  // Typing ends at the expiries this node set (the clock fires them); with several nodes every node also sweeps
  // each second, for the states of a node that died.
  const sweeper = drivers.redis
    ? setInterval(() => {
        const swept = domain.typing.sweep();
        if (swept instanceof Promise) swept.catch((error) => fastify.log.warn({ err: error }, 'typing sweep failed'));
      }, 1000)
    : undefined;
  sweeper?.unref();
  const stops: (() => Promise<void> | void)[] = [];
  const forgetters: (() => void)[] = [() => domain.forget(), () => rate.forget?.(), () => operating.forget?.()];

  const app: App = {
    fastify,
    services,
    domain,
    pipeline,
    db,
    baseUrl: () => base,
    forget: () => {
      for (const drop of forgetters) drop();
    },
    onForget: (drop) => forgetters.push(drop),
    onEventsCommitted: core.onEventsCommitted,
    async listen() {
      await fastify.listen({ port: config.port, host: config.host });
      const address = fastify.server.address();
      const port = typeof address === 'object' && address ? address.port : config.port;
      const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
      base ||= `${deps.https ? 'https' : 'http'}://${host}:${port}`;
      return base;
    },
    /**
     * Graceful stop: `/readyz` fails, the listener closes (requests still arriving get 503), the features stop
     * (WebSockets closed with 1001 so clients reconnect elsewhere, long polls answered, the dispatcher waits for its
     * POSTs and gives up its leases), requests in flight finish, then the drivers close.
     */
    async close() {
      if (!deps.clock) (clock as VirtualClock).clear();
      draining = true;
      clearInterval(sweeper);
      const closing = fastify.close();
      for (const stop of stops.reverse()) await stop();
      await closing;
      await core.close();
    },
  };
  for (const feature of features) {
    const stop = await feature(app);
    if (typeof stop === 'function') stops.push(stop);
  }
  return app;
}
