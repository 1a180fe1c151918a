/** A delivery job: each `next()` does one unit of work (one recipient user, one channel, one ping). */
export type Job = Generator<void, void, undefined>;

/**
 * Runs delivery jobs strictly in order (a subscriber never sees message 2 before message 1) and at most `chunk`
 * units per turn of the event loop, yielding with `setImmediate` in between so REST calls stay responsive during a
 * 10,000-member fan-out. A small job on an idle queue runs at once, inside the publishing call.
 */
export class FanOut {
  private readonly jobs: Job[] = [];
  private running = false;
  private scheduled = false;

  constructor(
    private readonly chunk: number,
    private readonly onError: (error: unknown) => void,
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
    let budget = this.chunk;
    try {
      while (this.jobs.length > 0 && budget > 0) {
        let done = false;
        try {
          done = this.jobs[0].next().done === true;
        } catch (error) {
          done = true;
          this.onError(error);
        }
        if (done) this.jobs.shift();
        budget--;
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
