import type { Redis } from 'ioredis';
import { luaScript } from '../store/redis.ts';
import type { StoredTyping, TypingStates } from './typing-states.ts';

// A hash per place (typer → state) and one sorted set of due times ("place|typer" scored by expiry). Taking a
// state out deletes both in one script, so of two nodes sweeping at once only one gets it. Every state is taken
// out in the end (its due time comes), and an emptied hash is gone: nothing needs a TTL of its own.
const DUE = 'b24:typing:due';
const placeKey = (place: string) => `b24:typing:${place}`;

const PUT = `
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[4])
return 1`;

const TAKE = `
local state = redis.call('HGET', KEYS[1], ARGV[1])
if state then redis.call('HDEL', KEYS[1], ARGV[1]) end
redis.call('ZREM', KEYS[2], ARGV[2])
return state`;

const EXPIRED = `
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, 1000)
local out = {}
for _, member in ipairs(due) do
  local cut = string.find(member, '|', 1, true)
  local hash = ARGV[2] .. string.sub(member, 1, cut - 1)
  local typer = string.sub(member, cut + 1)
  local state = redis.call('HGET', hash, typer)
  if state then
    redis.call('HDEL', hash, typer)
    table.insert(out, state)
  end
  redis.call('ZREM', KEYS[1], member)
end
return out`;

type Script = (...args: (string | number)[]) => Promise<unknown>;

export class RedisTypingStates implements TypingStates {
  private readonly putScript: Script;
  private readonly takeScript: Script;
  private readonly expiredScript: Script;

  constructor(private readonly redis: Redis) {
    this.putScript = luaScript(redis, 'b24TypingPut', 2, PUT);
    this.takeScript = luaScript(redis, 'b24TypingTake', 2, TAKE);
    this.expiredScript = luaScript(redis, 'b24TypingExpired', 1, EXPIRED);
  }

  async put(state: StoredTyping): Promise<void> {
    const member = `${state.place}|${state.userId}`;
    await this.putScript(placeKey(state.place), DUE, state.userId, JSON.stringify(state), state.expiresAt, member);
  }

  async take(place: string, userId: number): Promise<StoredTyping | undefined> {
    const state = (await this.takeScript(placeKey(place), DUE, userId, `${place}|${userId}`)) as string | null;
    return state ? JSON.parse(state) : undefined;
  }

  async list(place: string): Promise<StoredTyping[]> {
    return Object.values(await this.redis.hgetall(placeKey(place))).map((s) => JSON.parse(s));
  }

  async expired(nowMs: number): Promise<StoredTyping[]> {
    const states = (await this.expiredScript(DUE, nowMs, placeKey(''))) as string[];
    return states.map((s) => JSON.parse(s));
  }
}
