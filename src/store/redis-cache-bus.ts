import type { Redis } from 'ioredis';
import { secret } from '../wire/secrets.ts';
import { CacheBus, type Invalidation } from './cache-bus.ts';
import { luaScript } from './redis.ts';

const GENERATION = 'b24:cache:gen';
const CHANNEL = 'b24:cache:invalidate';

// Numbers the announcement and publishes it in one step, so the generation order is the delivery order.
const PUBLISH = `
local gen = redis.call('INCR', KEYS[1])
redis.call('PUBLISH', ARGV[1], gen .. ' ' .. ARGV[2])
return gen`;

/**
 * Cache invalidation over Redis pub/sub. Each announcement gets the next number of one counter; a node applies them
 * in order and remembers the last. Before serving a request it reads the counter (`fresh`): when announcements it
 * has not applied yet exist, it waits for them, so no node answers from a row another node has changed and
 * acknowledged. After a lost connection (pub/sub messages may have been missed) it drops every cache.
 */
export class RedisCacheBus extends CacheBus {
  private readonly node = secret(8);
  private applied = 0;
  private waiters: { gen: number; resolve: () => void }[] = [];
  private readonly script: (...args: (string | number)[]) => Promise<unknown>;

  constructor(
    private readonly redis: Redis,
    /** A connection of its own: SUBSCRIBE holds it. */
    private readonly subscriber: Redis,
  ) {
    super();
    this.script = luaScript(redis, 'b24CachePublish', 1, PUBLISH);
  }

  async start(): Promise<void> {
    this.subscriber.on('message', (_channel: string, message: string) => this.receive(message));
    // Every (re)connection: messages may have been missed, and a restarted Redis counts from zero again.
    this.subscriber.on('ready', () => {
      this.resync().catch(() => {});
    });
    await this.subscriber.subscribe(CHANNEL);
    await this.resync();
  }

  async fresh(): Promise<void> {
    const gen = Number(await this.redis.get(GENERATION));
    if (gen <= this.applied) return;
    const caughtUp = new Promise<void>((resolve) => this.waiters.push({ gen, resolve }));
    const late = new Promise<'late'>((resolve) => setTimeout(resolve, 1000, 'late').unref());
    if ((await Promise.race([caughtUp, late])) === 'late') {
      this.dropAll();
      this.advance(gen);
    }
  }

  protected async publish(invalidations: Invalidation[]): Promise<void> {
    await this.script(GENERATION, CHANNEL, JSON.stringify({ node: this.node, invalidations }));
  }

  private async resync(): Promise<void> {
    const gen = Number(await this.redis.get(GENERATION));
    this.dropAll();
    this.applied = gen;
    this.advance(gen);
  }

  private receive(message: string): void {
    const space = message.indexOf(' ');
    const gen = Number(message.slice(0, space));
    try {
      const { node, invalidations } = JSON.parse(message.slice(space + 1));
      if (node !== this.node) for (const invalidation of invalidations) this.apply(invalidation);
    } catch {
      this.dropAll();
    }
    this.advance(gen);
  }

  private advance(gen: number): void {
    if (gen > this.applied) this.applied = gen;
    this.waiters = this.waiters.filter((w) => {
      if (w.gen > this.applied) return true;
      w.resolve();
      return false;
    });
  }
}
