/** The turn of the event loop a job runs in: a job checks `over()` between batches and returns when it says so. */
export interface Turn {
  over(): boolean;
}

/** A delivery job: does work until it is finished (returns true) or the turn is over (returns false, resumed later). */
export type Job = (turn: Turn) => boolean;

/** Units a job does between two looks at the clock: a look is cheap, but not free beside a socket write. */
export const BATCH = 64;

/**
 * Runs delivery jobs strictly in order (a subscriber never sees message 2 before message 1), each turn of the event
 * loop for at most `sliceMs` of wall time, yielding with `setImmediate` in between so a REST call waits at most
 * about one slice during a 10,000-member fan-out. Slicing by time rather than by count lets a small fan-out finish
 * in its first turn, and a big one take as few turns as the machine allows. A job on an idle queue starts at once,
 * inside the publishing call.
 */
export class FanOut {
  private readonly jobs: Job[] = [];
  private running = false;
  private scheduled = false;
  private until = 0;
  private readonly turn: Turn = { over: () => this.now() >= this.until };

  constructor(
    private readonly sliceMs: number,
    private readonly onError: (error: unknown) => void,
    private readonly now: () => number = performance.now.bind(performance),
  ) {}

  push(job: Job): void {
    this.jobs.push(job);
    if (!this.scheduled) this.drain();
  }

  /** Jobs not finished yet (0 when idle). */
  get pending(): number {
    return this.jobs.length;
  }

  private drain = (): void => {
    this.scheduled = false;
    if (this.running) return;
    this.running = true;
    this.until = this.now() + this.sliceMs;
    try {
      while (this.jobs.length > 0) {
        let done = false;
        try {
          done = this.jobs[0](this.turn);
        } catch (error) {
          done = true;
          this.onError(error);
        }
        if (done) this.jobs.shift();
        if (this.turn.over()) break;
      }
    } finally {
      this.running = false;
    }
    if (this.jobs.length > 0) {
      this.scheduled = true;
      setImmediate(this.drain);
    }
  };
}

/** A job calling `each` for every item an iterator yields, `BATCH` items between looks at the clock. */
export function eachOf<T>(items: Iterator<T>, each: (item: T) => void): Job {
  return (turn) => {
    for (;;) {
      for (let n = 0; n < BATCH; n++) {
        const next = items.next();
        if (next.done) return true;
        each(next.value);
      }
      if (turn.over()) return false;
    }
  };
}
