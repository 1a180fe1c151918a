/** Time source injected everywhere so tests can freeze and advance it. Milliseconds since the epoch. */
export interface Clock {
  now(): number;
  /** Monotonic high-resolution milliseconds, for durations. */
  hr(): number;
  /**
   * Runs `fn` once this clock reads `atMs` or later; returns a cancel function. Everything time-driven schedules
   * here rather than with setTimeout, so moving a virtual clock forward fires what became due at once.
   */
  at(atMs: number, fn: () => void): () => void;
}

/** What `GET /_b24local/clock` shows. */
export interface ClockState {
  now: number;
  frozen: boolean;
  /** Milliseconds this clock runs ahead of the system clock (at the moment of reading). */
  offsetMs: number;
}

interface Timer {
  atMs: number;
  fn: () => void;
}

/** Real setTimeout accepts at most 2^31 − 1 ms; a later timer is re-armed when this one fires. */
const MAX_DELAY_MS = 2 ** 31 - 1;

/**
 * The system clock, which can be frozen, moved forward and resumed (the control API's virtual clock). Its timers
 * fire when its time reaches them: by a real timeout while it runs, at once when it is moved past them.
 */
export class VirtualClock implements Clock {
  private offsetMs = 0;
  protected frozenAt: number | null = null;
  private frozenHr = 0;
  private timers: Timer[] = [];
  private armed: ReturnType<typeof setTimeout> | undefined;

  now(): number {
    return this.frozenAt ?? Date.now() + this.offsetMs;
  }

  hr(): number {
    return this.frozenAt === null ? performance.now() + this.offsetMs : this.frozenHr;
  }

  at(atMs: number, fn: () => void): () => void {
    const timer = { atMs, fn };
    this.timers.push(timer);
    this.rearm();
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
      this.rearm();
    };
  }

  state(): ClockState {
    return { now: this.now(), frozen: this.frozenAt !== null, offsetMs: this.now() - Date.now() };
  }

  /** Stops time where it is; durations measured meanwhile read 0. */
  freeze(): void {
    if (this.frozenAt !== null) return;
    this.frozenHr = this.hr();
    this.frozenAt = this.now();
    this.rearm();
  }

  /** Moves time forward (frozen or not) and fires every timer that became due, in order. */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError('a clock only moves forward');
    if (this.frozenAt === null) this.offsetMs += ms;
    else {
      this.frozenAt += ms;
      this.frozenHr += ms;
    }
    this.fireDue();
  }

  /** Lets time run again from where it stands (it stays ahead of the system clock by what was advanced). */
  resume(): void {
    if (this.frozenAt === null) return;
    this.offsetMs = this.frozenAt - Date.now();
    this.frozenAt = null;
    this.fireDue();
  }

  /** Back to the system clock's time, running (the control API's reset; the store went back to its start too). */
  reset(): void {
    this.frozenAt = null;
    this.offsetMs = 0;
    this.fireDue();
  }

  /** Cancels every timer (the app is closing). */
  clear(): void {
    this.timers = [];
    this.rearm();
  }

  protected fireDue(): void {
    const now = this.now();
    const due = this.timers.filter((t) => t.atMs <= now).sort((a, b) => a.atMs - b.atMs);
    this.timers = this.timers.filter((t) => t.atMs > now);
    for (const timer of due) timer.fn();
    this.rearm();
  }

  private rearm(): void {
    clearTimeout(this.armed);
    this.armed = undefined;
    if (this.frozenAt !== null || this.timers.length === 0) return;
    const next = Math.min(...this.timers.map((t) => t.atMs));
    this.armed = setTimeout(() => this.fireDue(), Math.min(MAX_DELAY_MS, Math.max(0, next - this.now())));
    this.armed.unref();
  }
}

/** A clock the tests drive by hand: frozen at a start, moved by `advance`/`set`. `hr` follows `now`. */
export class ManualClock extends VirtualClock {
  constructor(ms = Date.UTC(2026, 0, 1, 12, 0, 0)) {
    super();
    this.frozenAt = ms;
  }

  override hr(): number {
    return this.now();
  }

  /** Sets the time (backwards too, for tests of calendar baskets); fires timers that became due. */
  set(ms: number): void {
    this.frozenAt = ms;
    this.fireDue();
  }
}
