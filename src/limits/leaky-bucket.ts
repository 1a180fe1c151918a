import type { Clock } from '../clock.ts';

export interface BucketSettings {
  /** X: the counter level above which the next request is refused. */
  burst: number;
  /** Y: how much the counter drains per second. */
  drainPerSec: number;
}

/** b24restdocs limits.md: standard plans 50 / 2 per second, Enterprise 250 / 5. */
export const BUCKET_PROFILES: Record<'standard' | 'enterprise', BucketSettings> = {
  standard: { burst: 50, drainPerSec: 2 },
  enterprise: { burst: 250, drainPerSec: 5 },
};

/** Request-rate limit: `LocalLeakyBucket` in one process, `RedisLeakyBucket` shared by every node. */
export interface RateLimiter {
  /** Counts one request for the key; false when it must be refused with QUERY_LIMIT_EXCEEDED. */
  take(key: string): boolean | Promise<boolean>;
  /** Empties every bucket (the control API's reset). */
  forget?(): void;
}

export class LocalLeakyBucket implements RateLimiter {
  private readonly levels = new Map<string, { level: number; at: number }>();

  constructor(
    private readonly settings: BucketSettings,
    private readonly clock: Clock,
  ) {}

  take(key: string): boolean {
    const now = this.clock.now();
    const entry = this.levels.get(key) ?? { level: 0, at: now };
    entry.level = Math.max(0, entry.level - ((now - entry.at) / 1000) * this.settings.drainPerSec);
    entry.at = now;
    this.levels.set(key, entry);
    if (entry.level >= this.settings.burst) return false;
    entry.level += 1;
    return true;
  }

  forget(): void {
    this.levels.clear();
  }
}

export const unlimited: RateLimiter = { take: () => true };
