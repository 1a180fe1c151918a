import { createRequire } from 'node:module';
import type { Redis } from 'ioredis';
import { ConfigError } from '../config/config-error.ts';

/** The URL without its password, for messages. */
export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(not a URL)';
  }
}

/**
 * A connection to REDIS_URL. Commands fail at once while it is down (no offline queue), so a REST call answers 503
 * instead of hanging; ioredis reconnects by itself, every 50 ms growing to 1 s. `blocking` connections (XREAD BLOCK,
 * SUBSCRIBE) are separate from the command one, as Redis requires.
 */
export function redisClient(url: string, name: string): Redis {
  // Loaded only with REDIS_URL: a single node never needs its 46 modules (start-up time, issue 15).
  const { Redis: Client } = createRequire(import.meta.url)('ioredis') as typeof import('ioredis');
  const client = new Client(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectionName: `b24-local:${name}`,
    retryStrategy: (attempt) => Math.min(50 * attempt, 1000),
  });
  client.on('error', () => {}); // reported through the failing commands and /readyz
  return client;
}

/** Connects, or fails with an error naming REDIS_URL (start-up must not go on without it). */
export async function connectRedis(url: string, name: string): Promise<Redis> {
  if (!URL.canParse(url) || !/^rediss?:$/.test(new URL(url).protocol)) {
    throw new ConfigError(`REDIS_URL must look like redis://host:port (got ${redactedUrl(url)})`);
  }
  const client = redisClient(url, name);
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    client.disconnect();
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigError(`REDIS_URL ${redactedUrl(url)} is unreachable: ${reason}`);
  }
  return client;
}

/**
 * A command refused because Redis is unreachable (no offline queue: it fails at once) or the connection dropped
 * under it. Callers answer what an overloaded portal answers (503 OVERLOAD_LIMIT) and the client tries again.
 */
export function isRedisUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return (
    error.name === 'MaxRetriesPerRequestError' ||
    /Stream isn't writeable|Connection is closed|ECONNREFUSED|ECONNRESET/.test(error.message)
  );
}

/** A Lua script as a command (EVALSHA, falling back to EVAL once per connection): the script is sent once. */
export function luaScript(redis: Redis, name: string, keys: number, lua: string) {
  redis.defineCommand(name, { numberOfKeys: keys, lua });
  const command = (redis as unknown as Record<string, (...args: (string | number)[]) => Promise<unknown>>)[name];
  return (...args: (string | number)[]): Promise<unknown> => command.apply(redis, args);
}
