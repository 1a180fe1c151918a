import { AsyncLocalStorage } from 'node:async_hooks';

/** What one node tells the others: drop this key of that cache, or all of it. */
export interface Invalidation {
  cache: string;
  key?: string | number;
}

/**
 * A per-process cache of rows whose changes other nodes must hear of. `fill` stores what was just read (nothing to
 * announce); `set`, `delete` and `clear` follow a change of the rows, so the other nodes drop their copies.
 */
export class SharedCache<K extends string | number, V> {
  private readonly map = new Map<K, V>();

  constructor(
    readonly name: string,
    private readonly announce: (invalidation: Invalidation) => void,
  ) {}

  get(key: K): V | undefined {
    return this.map.get(key);
  }

  has(key: K): boolean {
    return this.map.has(key);
  }

  get size(): number {
    return this.map.size;
  }

  entries(): IterableIterator<[K, V]> {
    return this.map.entries();
  }

  /** Caches a row as read from the store. */
  fill(key: K, value: V): void {
    this.map.set(key, value);
  }

  /** Caches a row this node has just written. */
  set(key: K, value: V): void {
    this.map.set(key, value);
    this.announce({ cache: this.name, key });
  }

  delete(key: K): void {
    this.map.delete(key);
    this.announce({ cache: this.name, key });
  }

  clear(): void {
    this.map.clear();
    this.announce({ cache: this.name });
  }

  /** Drops the matching rows here; other nodes, which cannot tell which of theirs match, drop everything. */
  deleteWhere(match: (value: V) => boolean): void {
    for (const [key, value] of this.map) if (match(value)) this.map.delete(key);
    this.announce({ cache: this.name });
  }

  /** Another node changed these rows. */
  drop(key?: K): void {
    if (key === undefined) this.map.clear();
    else this.map.delete(key);
  }
}

/**
 * The caches of one node and how their changes reach the others. A change made while serving a request is
 * announced when the answer goes out (`settle`), after the request's transactions have committed: announced
 * earlier, another node could re-read the old row before the commit and keep it.
 */
export abstract class CacheBus {
  protected readonly caches = new Map<string, SharedCache<any, any>>();
  private readonly request = new AsyncLocalStorage<Invalidation[]>();

  cache<K extends string | number, V>(name: string): SharedCache<K, V> {
    let cache = this.caches.get(name);
    if (!cache) {
      cache = new SharedCache<K, V>(name, (invalidation) => {
        const pending = this.request.getStore();
        if (pending) pending.push(invalidation);
        else this.publish([invalidation]).catch(() => {}); // background work: no answer to hold back
      });
      this.caches.set(name, cache);
    }
    return cache;
  }

  /** Runs `next` as one request, whose announcements `settle` sends. */
  enter(next: () => void): void {
    this.request.run([], next);
  }

  /** Sends the current request's announcements; resolves once every node can see them. */
  async settle(): Promise<void> {
    const pending = this.request.getStore();
    if (!pending?.length) return;
    await this.publish(pending.splice(0));
  }

  /** Resolves once this node has applied every announcement any node made before now. */
  abstract fresh(): Promise<void>;
  protected abstract publish(invalidations: Invalidation[]): Promise<void>;

  /** Applies another node's announcement. */
  protected apply(invalidation: Invalidation): void {
    this.caches.get(invalidation.cache)?.drop(invalidation.key);
  }

  /** Drops every cache (announcements may have been missed). */
  protected dropAll(): void {
    for (const cache of this.caches.values()) cache.drop();
  }
}

/** One node: nobody to tell. */
export class LocalCacheBus extends CacheBus {
  async fresh(): Promise<void> {}
  protected async publish(): Promise<void> {}
}
