import type { Clock } from './clock.ts';
import type { Config } from './config/config.ts';
import type { SharedState } from './domain/index.ts';
import { BUCKET_PROFILES, LocalLeakyBucket, type RateLimiter, unlimited } from './limits/leaky-bucket.ts';
import { LocalOperatingTime, type OperatingLimiter } from './limits/operating-time.ts';
import { RedisLeakyBucket } from './limits/redis-leaky-bucket.ts';
import { RedisOperatingTime } from './limits/redis-operating-time.ts';
import { type Hub, LocalHub } from './realtime/hub.ts';
import { RedisHub } from './realtime/redis-hub.ts';
import { RedisTypingStates } from './realtime/redis-typing-states.ts';
import { LocalTypingStates } from './realtime/typing-states.ts';
import { LocalCacheBus } from './store/cache-bus.ts';
import { connectRedis } from './store/redis.ts';
import { RedisCacheBus } from './store/redis-cache-bus.ts';

/** Everything that is per process on one node and shared through Redis on several (REDIS_URL). */
export interface Drivers {
  hub: Hub;
  rate: RateLimiter;
  operating: OperatingLimiter;
  shared: SharedState;
  /** Redis reachability for `/readyz` and the REST edge; undefined when there is no Redis. */
  redis?: { ready(): boolean; ping(): Promise<unknown> };
  close(): Promise<void>;
}

/** Pull history kept in the shared log: the same 10 minutes a node keeps (docs/decisions.md "Push & Pull"). */
const HUB_LOG = { maxLength: 100_000, replayMs: 10 * 60 * 1000 };

/** The drivers config asks for: Soketi-style, one interface each, a local and a Redis implementation. */
export async function openDrivers(config: Config, clock: Clock, onError: (error: unknown) => void): Promise<Drivers> {
  const limits = config.limits === 'off' ? undefined : BUCKET_PROFILES[config.limits];
  // B24_LIMITS=off turns off both limits, however the config was built (loadConfig or a test's override).
  const operatingLimit = config.limits === 'off' ? 0 : config.operatingLimitSec;
  if (!config.redisUrl) {
    return {
      hub: new LocalHub(clock),
      rate: limits ? new LocalLeakyBucket(limits, clock) : unlimited,
      operating: new LocalOperatingTime(operatingLimit, clock),
      shared: { typing: new LocalTypingStates(), caches: new LocalCacheBus() },
      close: async () => {},
    };
  }
  const url = config.redisUrl;
  const [commands, reader, subscriber] = await Promise.all([
    connectRedis(url, 'commands'),
    connectRedis(url, 'hub'),
    connectRedis(url, 'caches'),
  ]);
  const hub = new RedisHub(commands, reader, clock, HUB_LOG, onError);
  const caches = new RedisCacheBus(commands, subscriber);
  await caches.start();
  return {
    hub,
    rate: limits ? new RedisLeakyBucket(commands, limits, clock) : unlimited,
    // Without a limit the sums only fill the answer's `time` block: this node's own are enough, and cost no trip.
    operating:
      operatingLimit > 0
        ? new RedisOperatingTime(commands, operatingLimit, clock, onError)
        : new LocalOperatingTime(0, clock),
    shared: { typing: new RedisTypingStates(commands), caches },
    redis: { ready: () => commands.status === 'ready', ping: () => commands.ping() },
    async close() {
      await hub.close();
      subscriber.disconnect();
      commands.disconnect();
    },
  };
}
