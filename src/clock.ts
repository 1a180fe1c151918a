/** Time source injected everywhere so tests can freeze and advance it. Milliseconds since the epoch. */
export interface Clock {
  now(): number;
  /** Monotonic high-resolution milliseconds, for durations. */
  hr(): number;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  hr: () => performance.now(),
};

/** A clock the tests drive by hand. `hr` follows `now` so durations are deterministic too. */
export class ManualClock implements Clock {
  constructor(private ms = Date.UTC(2026, 0, 1, 12, 0, 0)) {}
  now(): number {
    return this.ms;
  }
  hr(): number {
    return this.ms;
  }
  advance(ms: number): void {
    this.ms += ms;
  }
  set(ms: number): void {
    this.ms = ms;
  }
}
