import Fastify, { type FastifyInstance } from 'fastify';
import { type Clock, systemClock } from './clock.ts';
import type { Config } from './config/config.ts';
import { OutboxEventSink } from './delivery/outbox-event-sink.ts';
import type { EventSink } from './domain/events.ts';
import type { PortalInfo } from './domain/identities.ts';
import { createDomain, type Domain } from './domain/index.ts';
import { settingOrCreate } from './domain/settings.ts';
import { V2EventSink } from './domain/v2-event-sink.ts';
import { Pipeline } from './http/pipeline.ts';
import {
  clientErrors,
  frameworkErrors,
  registerBodyParsers,
  registerErrorAnswers,
  registerRest,
} from './http/routes.ts';
import { sameOriginGuard } from './http/same-origin.ts';
import { BUCKET_PROFILES, LocalLeakyBucket, type RateLimiter, unlimited } from './limits/leaky-bucket.ts';
import { LocalOperatingTime, type OperatingLimiter } from './limits/operating-time.ts';
import type { Services } from './methods/define.ts';
import { loadRegistry, type Registry } from './methods/registry.ts';
import { type Hub, LocalHub } from './realtime/hub.ts';
import type { Database } from './store/db.ts';
import { secret } from './wire/secrets.ts';

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
  listen(): Promise<string>;
  close(): Promise<void>;
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
  const clock = deps.clock ?? systemClock;
  const hub = deps.hub ?? new LocalHub();
  const registry = await preloadRegistry();
  const { headersMs, requestMs, idleMs } = config.timeouts;
  // Node checks the headers and request timeouts every `connectionsCheckingInterval` (30 s by default): often
  // enough here that a slow client is cut off close to its timeout.
  const socketOptions = {
    headersTimeout: headersMs,
    requestTimeout: requestMs,
    connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(headersMs / 2))),
  };
  const fastify = Fastify({
    logger: { level: config.logLevel },
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
  const memberId = await settingOrCreate(db, 'member_id', () => secret(16));
  // Read on hot paths (every pull message names the server): parsed again only when the base URL changes.
  let portalInfo: { base: string; info: PortalInfo } | undefined;
  const portal = (): PortalInfo => {
    if (portalInfo?.base !== base) {
      const url = new URL(base || `http://${config.host}:${config.port}`);
      const info = {
        domain: url.host,
        clientEndpoint: `${url.origin}/rest/`,
        serverEndpoint: `${url.origin}/rest/`,
        memberId,
      };
      portalInfo = { base, info };
    }
    return portalInfo.info;
  };
  // v2 bots get their events as ONIMBOTV2* in the same log (src/domain/v2-event-sink.ts).
  const events = new V2EventSink(deps.events ?? new OutboxEventSink(clock), portal);
  const domain = createDomain(db, clock, hub, portal, events, config.typingTtlSec * 1000);
  const rate =
    deps.rate ?? (config.limits === 'off' ? unlimited : new LocalLeakyBucket(BUCKET_PROFILES[config.limits], clock));
  // B24_LIMITS=off turns off both limits, however the config was built (loadConfig or a test's override).
  const operatingLimit = config.limits === 'off' ? 0 : config.operatingLimitSec;
  const operating = deps.operating ?? new LocalOperatingTime(operatingLimit, clock);

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

  fastify.addHook('onRequest', sameOriginGuard(config));
  registerBodyParsers(fastify, config.bodyLimit);
  registerErrorAnswers(fastify, pipeline);
  registerRest(fastify, pipeline, clock);

  const sweeper = setInterval(() => domain.typing.sweep(), 1000);
  sweeper.unref();
  const stops: (() => Promise<void> | void)[] = [];

  const app: App = {
    fastify,
    services,
    domain,
    pipeline,
    db,
    baseUrl: () => base,
    async listen() {
      await fastify.listen({ port: config.port, host: config.host });
      const address = fastify.server.address();
      const port = typeof address === 'object' && address ? address.port : config.port;
      const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
      base ||= `${deps.https ? 'https' : 'http'}://${host}:${port}`;
      return base;
    },
    async close() {
      clearInterval(sweeper);
      for (const stop of stops.reverse()) await stop();
      await fastify.close();
    },
  };
  await domain.users.ensureAdmin();
  for (const feature of features) {
    const stop = await feature(app);
    if (typeof stop === 'function') stops.push(stop);
  }
  return app;
}
