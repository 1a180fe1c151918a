import type { Redis } from 'ioredis';
import type { Clock } from '../clock.ts';
import { luaScript } from '../store/redis.ts';
import { BASKET_MS, type OperatingLimiter, type OperatingStatus, WINDOW_MS } from './operating-time.ts';

// The baskets of LocalOperatingTime as one Redis hash per limit key and method: basket start (ms) → seconds, and
// `cur`, the newest basket's start. Recording and summing are atomic, so every node sees one sum.
const RECORD = `
local now = tonumber(ARGV[1])
local cur = tonumber(redis.call('HGET', KEYS[1], 'cur'))
if cur and cur + ${BASKET_MS} > now then
  redis.call('HINCRBYFLOAT', KEYS[1], cur, ARGV[2])
else
  local all = redis.call('HKEYS', KEYS[1])
  for _, field in ipairs(all) do
    if field ~= 'cur' and tonumber(field) + ${WINDOW_MS} <= now then redis.call('HDEL', KEYS[1], field) end
  end
  redis.call('HSET', KEYS[1], 'cur', now, now, ARGV[2])
end
redis.call('PEXPIRE', KEYS[1], ${WINDOW_MS})
return 1`;

const STATUS = `
local now = tonumber(ARGV[1])
local all = redis.call('HGETALL', KEYS[1])
local sum = 0
local oldest = now
for i = 1, #all, 2 do
  if all[i] ~= 'cur' then
    local start = tonumber(all[i])
    if start + ${WINDOW_MS} > now then
      sum = sum + tonumber(all[i + 1])
      if start < oldest then oldest = start end
    end
  end
end
return {tostring(sum), tostring(oldest)}`;

export class RedisOperatingTime implements OperatingLimiter {
  private readonly recordScript: (...args: (string | number)[]) => Promise<unknown>;
  private readonly statusScript: (...args: (string | number)[]) => Promise<unknown>;

  constructor(
    redis: Redis,
    private readonly limitSec: number,
    private readonly clock: Clock,
    private readonly onError: (error: unknown) => void,
  ) {
    this.recordScript = luaScript(redis, 'b24OperatingRecord', 1, RECORD);
    this.statusScript = luaScript(redis, 'b24OperatingStatus', 1, STATUS);
  }

  async status(key: string, method: string): Promise<OperatingStatus> {
    const [sum, oldest] = (await this.statusScript(redisKey(key, method), this.clock.now())) as [string, string];
    const operating = Number(sum);
    return {
      blocked: this.limitSec > 0 && operating > this.limitSec,
      operating: Math.round(operating * 10000) / 10000,
      resetAt: Math.floor((Number(oldest) + WINDOW_MS) / 1000),
    };
  }

  record(key: string, method: string, seconds: number): void {
    this.recordScript(redisKey(key, method), this.clock.now(), seconds).catch(this.onError);
  }
}

const redisKey = (key: string, method: string) => `b24:op:${key}:${method}`;
