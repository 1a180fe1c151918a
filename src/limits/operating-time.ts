import type { Clock } from '../clock.ts';

// b24restdocs limits.md "resource limit": execution time per method and per app/webhook is summed in ten
// one-minute baskets; a basket lives 10 minutes from its first call. The check runs before a call, so the call
// that crosses the limit completes and the next one is refused with 429 OPERATION_TIME_LIMIT.

const BASKET_MS = 60_000;
const WINDOW_MS = 600_000;

export interface OperatingStatus {
  blocked: boolean;
  /** Seconds used in the live window. */
  operating: number;
  /** Unix seconds when the oldest live basket expires. */
  resetAt: number;
}

export interface OperatingLimiter {
  status(key: string, method: string): OperatingStatus;
  record(key: string, method: string, seconds: number): void;
}

export class LocalOperatingTime implements OperatingLimiter {
  private readonly baskets = new Map<string, { start: number; seconds: number }[]>();

  constructor(
    private readonly limitSec: number,
    private readonly clock: Clock,
  ) {}

  private live(id: string, now: number): { start: number; seconds: number }[] {
    const list = (this.baskets.get(id) ?? []).filter((b) => b.start + WINDOW_MS > now);
    if (list.length) this.baskets.set(id, list);
    else this.baskets.delete(id);
    return list;
  }

  status(key: string, method: string): OperatingStatus {
    const now = this.clock.now();
    const list = this.live(`${key}|${method}`, now);
    const operating = list.reduce((sum, b) => sum + b.seconds, 0);
    const oldest = list[0]?.start ?? now;
    return {
      blocked: this.limitSec > 0 && operating > this.limitSec, // "exceeds the limit": reaching it still passes
      operating: Math.round(operating * 10000) / 10000,
      resetAt: Math.floor((oldest + WINDOW_MS) / 1000),
    };
  }

  record(key: string, method: string, seconds: number): void {
    const now = this.clock.now();
    const id = `${key}|${method}`;
    const list = this.live(id, now);
    const last = list[list.length - 1];
    if (last && last.start + BASKET_MS > now) last.seconds += seconds;
    else {
      list.push({ start: now, seconds });
      this.baskets.set(id, list);
    }
  }
}
