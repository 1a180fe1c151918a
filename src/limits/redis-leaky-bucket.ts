import type { Redis } from 'ioredis';
import type { Clock } from '../clock.ts';
import { luaScript } from '../store/redis.ts';
import type { BucketSettings, RateLimiter } from './leaky-bucket.ts';

// The bucket of LocalLeakyBucket, read, drained and counted in one atomic step on Redis: the 51st call of a burst is
// refused whichever node it reaches. Time comes from the calling node's clock (nodes keep theirs in sync); a clock
// behind the stored one drains nothing rather than filling the bucket.
const TAKE = `
local v = redis.call('HMGET', KEYS[1], 'l', 'a')
local now = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local drain = tonumber(ARGV[3])
local level = tonumber(v[1]) or 0
local at = tonumber(v[2]) or now
if now > at then level = math.max(0, level - (now - at) / 1000 * drain) else now = at end
local ok = 0
if level < burst then level = level + 1; ok = 1 end
redis.call('HSET', KEYS[1], 'l', tostring(level), 'a', now)
redis.call('PEXPIRE', KEYS[1], math.ceil(level / drain * 1000) + 1000)
return ok`;

export class RedisLeakyBucket implements RateLimiter {
  private readonly script: (...args: (string | number)[]) => Promise<unknown>;

  constructor(
    redis: Redis,
    private readonly settings: BucketSettings,
    private readonly clock: Clock,
  ) {
    this.script = luaScript(redis, 'b24LeakyBucket', 1, TAKE);
  }

  async take(key: string): Promise<boolean> {
    const { burst, drainPerSec } = this.settings;
    return (await this.script(`b24:rate:${key}`, this.clock.now(), burst, drainPerSec)) === 1;
  }
}
