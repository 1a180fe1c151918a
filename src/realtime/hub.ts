import type { Clock } from '../clock.ts';
import { secret } from '../wire/secrets.ts';

/** A Push & Pull command as the messenger emits it: `text{module_id, command, params}` of a pull message. */
export interface PullCommand {
  module_id: string;
  command: string;
  params: Record<string, unknown>;
  extra?: Record<string, unknown>;
}

export type Recipients = { users: number[] } | { channel: string };

/**
 * Where a command stands in the hub's one order, the same on every node: the pull message id is `epoch` + `seq`.
 * A new epoch means the sequence started again (a new process, or a Redis that lost its data).
 */
export interface Stamp {
  epoch: string;
  seq: number;
  timeMs: number;
}

export type HubListener = (command: PullCommand, recipients: Recipients, stamp: Stamp) => void;

/**
 * Fan-out of commands to people's channels, in one order for every listener. The pull server subscribes once and
 * routes to its connections. `LocalHub` serves one process; `RedisHub` (redis-hub.ts) every node of a cluster.
 */
export interface Hub {
  publish(recipients: Recipients, command: PullCommand): void;
  subscribe(listener: HubListener): () => void;
  /**
   * Whether other nodes publish here too: then the pull history keeps every channel, since a client may come
   * back on this node with a `mid` it got on another.
   */
  readonly shared: boolean;
}

export class LocalHub implements Hub {
  readonly shared = false;
  private readonly listeners = new Set<HubListener>();
  /** Tags this run's message ids, so a `mid` from an earlier run is recognised as such. */
  private readonly epoch = secret(8);
  private seq = 0;

  constructor(private readonly clock: Clock) {}

  publish(recipients: Recipients, command: PullCommand): void {
    const stamp = { epoch: this.epoch, seq: ++this.seq, timeMs: this.clock.now() };
    for (const listener of this.listeners) listener(command, recipients, stamp);
  }
  subscribe(listener: HubListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
