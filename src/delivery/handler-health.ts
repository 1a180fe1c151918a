import type { Clock } from '../clock.ts';

/** A first attempt that starts this long after its event means the handler's events are queueing. */
export const QUEUE_LAG_MS = 10_000;

export interface HealthLogger {
  warn(obj: unknown, msg?: string): void;
  info(obj: unknown, msg?: string): void;
}

/** Who a handler serves, for the log line: the bots' codes and their application. */
export interface HandlerUser {
  botCodes: string[];
  appKey: string;
}

interface Trouble {
  state: 'failing' | 'queueing';
  /** Failed attempts while failing. */
  failures: number;
}

/**
 * What the log says about each handler URL: one warning when it starts failing or its events start queueing, one
 * info line when it recovers, never one per retry. A handler that recovers from failing has a backlog that goes out
 * late; those events, created before it recovered, do not count as queueing again.
 */
export class HandlerHealth {
  private readonly troubles = new Map<string, Trouble>();
  /** When each handler last recovered, until the backlog of its failure has gone out. */
  private readonly recovered = new Map<string, number>();

  constructor(
    private readonly log: HealthLogger,
    private readonly clock: Clock,
  ) {}

  /** An attempt failed: `error` says how (ECONNREFUSED, HTTP 500, no answer in time). */
  failed(url: string, error: string, who: HandlerUser): void {
    const trouble = this.troubles.get(url);
    if (trouble?.state === 'failing') {
      trouble.failures++;
      return;
    }
    this.troubles.set(url, { state: 'failing', failures: 1 });
    this.log.warn(
      { handler: { url, state: 'failing', error, bots: who.botCodes, app: who.appKey } },
      `handler ${url} is failing (${error})${describe(who)}: its events queue and are retried until it answers`,
    );
  }

  /** An attempt was answered with 2xx; `createdAt` and `attempt` tell whether it went out late. */
  delivered(url: string, createdAt: number, attempt: number, startedAt: number, who: HandlerUser): void {
    const trouble = this.troubles.get(url);
    const lag = startedAt - createdAt;
    if (trouble?.state === 'failing') {
      this.troubles.delete(url);
      this.recovered.set(url, this.clock.now());
      const after =
        trouble.failures === 1
          ? ' after 1 failed attempt'
          : trouble.failures
            ? ` after ${trouble.failures} failed attempts`
            : '';
      this.log.info(
        { handler: { url, state: 'recovered', failures: trouble.failures } },
        `handler ${url} recovered${after}${describe(who)}`,
      );
      return;
    }
    if (attempt !== 1) return;
    const since = this.recovered.get(url);
    if (since !== undefined) {
      if (createdAt < since) return; // the backlog of the failure
      this.recovered.delete(url);
    }
    if (!trouble && lag >= QUEUE_LAG_MS) {
      this.troubles.set(url, { state: 'queueing', failures: 0 });
      this.log.warn(
        { handler: { url, state: 'queueing', lagMs: lag, bots: who.botCodes, app: who.appKey } },
        `handler ${url} is not keeping up${describe(who)}: events wait ${Math.round(lag / 1000)} s before they are sent`,
      );
    } else if (trouble?.state === 'queueing' && lag < QUEUE_LAG_MS) {
      this.troubles.delete(url);
      this.log.info({ handler: { url, state: 'recovered' } }, `handler ${url} caught up${describe(who)}`);
    }
  }

  /**
   * The handler of a bot just registered or updated takes no connection: warned now, as a failing handler, so its
   * first failed delivery adds no second warning.
   */
  unreachable(url: string, error: string, who: HandlerUser): void {
    if (this.troubles.get(url)?.state === 'failing') return;
    this.troubles.set(url, { state: 'failing', failures: 0 });
    this.log.warn(
      { handler: { url, state: 'unreachable', error, bots: who.botCodes, app: who.appKey } },
      `handler ${url}${describe(who)} takes no connection (${error}): nothing listens there, events to it will queue`,
    );
  }
}

function describe(who: HandlerUser): string {
  return ` (app=${who.appKey}${who.botCodes.length ? ` bot=${who.botCodes.join(',')}` : ''})`;
}
