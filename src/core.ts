import { type Clock, VirtualClock } from './clock.ts';
import type { Config } from './config/config.ts';
import { OutboxEventSink } from './delivery/outbox-event-sink.ts';
import type { EventSink } from './domain/events.ts';
import type { PortalInfo } from './domain/identities.ts';
import { createDomain, type Domain } from './domain/index.ts';
import { settingOrCreate } from './domain/settings.ts';
import { V2EventSink } from './domain/v2-event-sink.ts';
import { type Drivers, openDrivers } from './drivers.ts';
import type { Hub } from './realtime/hub.ts';
import type { Database } from './store/db.ts';
import { secret } from './wire/secrets.ts';

export interface CoreDeps {
  config: Config;
  db: Database;
  /** Default: a clock of its own, stopped by `close`. */
  clock?: Clock;
  hub?: Hub;
  /** Where bot events go; default: the durable event log (OutboxEventSink). */
  events?: EventSink;
  /** The server's base URL as the portal names itself (empty until known: then `http://HOST:PORT`). */
  baseUrl: () => string;
  /** A Redis driver's failure after it connected (REDIS_URL). */
  onDriverError: (error: unknown) => void;
}

/**
 * The domain on the store, with its clock, drivers and portal: what the app serves over HTTP (createApp), and what
 * a CLI command with no server running works on alone, without the HTTP edge, the method registry or the features.
 */
export interface Core {
  clock: Clock;
  drivers: Drivers;
  hub: Hub;
  domain: Domain;
  portal: () => PortalInfo;
  /** Calls `listener` whenever this process commits events (other processes hear of them by NOTIFY); returns its removal. */
  onEventsCommitted(listener: () => void): () => void;
  /** Closes the drivers (and stops the clock it made). */
  close(): Promise<void>;
}

export async function createCore(deps: CoreDeps): Promise<Core> {
  const { config, db, baseUrl } = deps;
  const clock = deps.clock ?? new VirtualClock();
  // REDIS_URL: hub, limits, typing and cache announcements in Redis; an unreachable one stops the start here.
  const drivers = await openDrivers(config, clock, deps.onDriverError);
  const hub = deps.hub ?? drivers.hub;
  const memberId = await settingOrCreate(db, 'member_id', () => secret(16));
  // Read on hot paths (every pull message names the server): parsed again only when the base URL changes.
  let portalInfo: { base: string; info: PortalInfo } | undefined;
  const portal = (): PortalInfo => {
    const base = baseUrl();
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
  const eventListeners = new Set<() => void>();
  const committed = () => {
    for (const listener of eventListeners) listener();
  };
  const events = new V2EventSink(deps.events ?? new OutboxEventSink(clock, db, committed), portal);
  const domain = createDomain(db, clock, hub, portal, events, config.typingTtlSec * 1000, drivers.shared);
  await domain.users.ensureAdmin();
  return {
    clock,
    drivers,
    hub,
    domain,
    portal,
    onEventsCommitted(listener) {
      eventListeners.add(listener);
      return () => eventListeners.delete(listener);
    },
    async close() {
      if (!deps.clock) (clock as VirtualClock).clear();
      await drivers.close();
    },
  };
}
