/** A Push & Pull command as the messenger emits it: `text{module_id, command, params}` of a pull message. */
export interface PullCommand {
  module_id: string;
  command: string;
  params: Record<string, unknown>;
  extra?: Record<string, unknown>;
}

export type Recipients = { users: number[] } | { channel: string };

export type HubListener = (command: PullCommand, recipients: Recipients) => void;

/**
 * Fan-out of commands to people's channels. In-process now; a Redis-backed hub implements the same interface
 * for several nodes. The pull server subscribes once and routes to its connections.
 */
export interface Hub {
  publish(recipients: Recipients, command: PullCommand): void;
  subscribe(listener: HubListener): () => void;
}

export class LocalHub implements Hub {
  private readonly listeners = new Set<HubListener>();
  publish(recipients: Recipients, command: PullCommand): void {
    for (const listener of this.listeners) listener(command, recipients);
  }
  subscribe(listener: HubListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
