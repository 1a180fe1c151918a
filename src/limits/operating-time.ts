import type { Clock } from '../clock.ts';

// b24restdocs limits.md "resource limit": execution time per method and per app/webhook is summed in ten
// one-minute baskets; a basket lives 10 minutes from its first call. The check runs before a call, so the call
// that crosses the limit completes and the next one is refused with 429 OPERATION_TIME_LIMIT.

export const BASKET_MS = 60_000;
export const WINDOW_MS = 600_000;

export interface OperatingStatus {
  blocked: boolean;
  /** Seconds used in the live window. */
  operating: number;
  /** Unix seconds when the oldest live basket expires. */
  resetAt: number;
}

/** `LocalOperatingTime` in one process, `RedisOperatingTime` shared by every node. */
export interface OperatingLimiter {
  status(key: string, method: string): OperatingStatus | Promise<OperatingStatus>;
  record(key: string, method: string, seconds: number): void;
  /** Empties every basket (the control API's reset). */
  forget?(): void;
}

interface Basket {
  start: number;
  seconds: number;
}

export class LocalOperatingTime implements OperatingLimiter {
  /** limit key → method → live baskets, oldest first. Nested, so no combined key string is built per call. */
  private readonly baskets = new Map<string, Map<string, Basket[]>>();

  constructor(
    private readonly limitSec: number,
    private readonly clock: Clock,
  ) {}

  /** The method's baskets still in the window (expired ones dropped), or undefined when none is. */
  private live(key: string, method: string, now: number): Basket[] | undefined {
    const byMethod = this.baskets.get(key);
    const list = byMethod?.get(method);
    if (!list) return undefined;
    let expired = 0;
    while (expired < list.length && list[expired].start + WINDOW_MS <= now) expired++;
    if (expired < list.length) {
      if (expired > 0) list.splice(0, expired);
      return list;
    }
    byMethod!.delete(method);
    if (byMethod!.size === 0) this.baskets.delete(key);
    return undefined;
  }

  forget(): void {
    this.baskets.clear();
  }

  status(key: string, method: string): OperatingStatus {
    const now = this.clock.now();
    const list = this.live(key, method, now);
    let operating = 0;
    for (const basket of list ?? []) operating += basket.seconds;
    const oldest = list ? list[0].start : now;
    return {
      blocked: this.limitSec > 0 && operating > this.limitSec, // "exceeds the limit": reaching it still passes
      operating: Math.round(operating * 10000) / 10000,
      resetAt: Math.floor((oldest + WINDOW_MS) / 1000),
    };
  }

  record(key: string, method: string, seconds: number): void {
    const now = this.clock.now();
    const list = this.live(key, method, now);
    const last = list?.[list.length - 1];
    if (last && last.start + BASKET_MS > now) last.seconds += seconds;
    else if (list) list.push({ start: now, seconds });
    else {
      const byMethod = this.baskets.get(key) ?? new Map<string, Basket[]>();
      byMethod.set(method, [{ start: now, seconds }]);
      this.baskets.set(key, byMethod);
    }
  }
}
