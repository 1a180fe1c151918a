import type { Clock } from '../clock.ts';

export interface ThrottleSettings {
  /** Failed sign-ins of one login within the window before that login is refused. */
  perAccount: number;
  /** Failed sign-ins from one client address within the window before that address is refused. */
  perAddress: number;
  windowMs: number;
}

export const SIGN_IN_THROTTLE: ThrottleSettings = { perAccount: 5, perAddress: 20, windowMs: 15 * 60_000 };

/** Keys tracked at once; past it the oldest is forgotten, so a spray of logins cannot grow memory without end. */
const MAX_KEYS = 10_000;

/**
 * Failed password sign-ins, counted per login and per client address in a sliding window. A login or address over
 * its count waits until its oldest failure in the window has aged out; a success forgets the login's failures.
 */
export class SignInThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly clock: Clock,
    private readonly settings: ThrottleSettings = SIGN_IN_THROTTLE,
  ) {}

  /** Seconds until this login from this address may try again; 0 = now. */
  retryAfter(login: string, address: string): number {
    const now = this.clock.now();
    const wait = (key: string, limit: number) => {
      const times = this.recent(key, now);
      return times.length < limit ? 0 : times[times.length - limit] + this.settings.windowMs - now;
    };
    const ms = Math.max(
      wait(accountKey(login), this.settings.perAccount),
      wait(addressKey(address), this.settings.perAddress),
    );
    return Math.ceil(ms / 1000);
  }

  failed(login: string, address: string): void {
    const now = this.clock.now();
    for (const key of [accountKey(login), addressKey(address)]) {
      const times = this.recent(key, now);
      times.push(now);
      this.failures.delete(key); // re-insert: the map's order is least recently failed first
      this.failures.set(key, times);
    }
    while (this.failures.size > MAX_KEYS) this.failures.delete(this.failures.keys().next().value as string);
  }

  succeeded(login: string): void {
    this.failures.delete(accountKey(login));
  }

  private recent(key: string, now: number): number[] {
    const times = (this.failures.get(key) ?? []).filter((t) => t > now - this.settings.windowMs);
    if (times.length) this.failures.set(key, times);
    else this.failures.delete(key);
    return times;
  }
}

const accountKey = (login: string) => `login:${login.toLowerCase()}`;
const addressKey = (address: string) => `address:${address}`;
