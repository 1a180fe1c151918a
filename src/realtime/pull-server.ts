import type { Clock } from '../clock.ts';
import { secret } from '../wire/secrets.ts';
import type { PullChannel, PullChannels } from './channels.ts';
import { FanOut, type Job } from './fan-out.ts';
import { ChannelHistory } from './history.ts';
import type { PullCommand, Recipients } from './hub.ts';
import { type Delivery, type Format, PullMessage } from './pull-message.ts';

/** One listener: a WebSocket, or a held long-poll request. Endpoints own the transport; the server routes. */
export interface Subscriber {
  /** The owner of `privateChannel` (0 when the connection has shared channels only). */
  readonly userId: number;
  /** The user's channel this connection listens on: named in messages routed to the user. */
  readonly privateChannel: string | null;
  readonly channels: readonly string[];
  readonly format: Format;
  /** Connected with a `token` (jwt) rather than channel ids: a renewed channel needs a new config, not a new id. */
  readonly viaToken: boolean;
  /** Sequence number when it was attached: older messages came (or not) as its backlog. Set by the server. */
  since: number;
  deliver(message: PullMessage, channel: string): void;
}

export interface Resume {
  mid?: string | null;
  tag?: string | null;
}

export interface PullServerOptions {
  historySize: number;
  historyTtlMs: number;
  fanOutChunk: number;
}

/**
 * Routes hub commands to channels: `{users}` to every private channel of those users (several tabs, the portal
 * and applications), `{channel}` to one channel. Keeps each channel's recent history for `mid` resume. Knows nothing
 * of sockets or HTTP.
 */
export class PullServer {
  /** Tags this run's message ids, so a `mid` from an earlier run is recognised as such. */
  private readonly epoch = secret(8);
  private seq = 0;
  private readonly byChannel = new Map<string, Set<Subscriber>>();
  private readonly byUser = new Map<number, Set<Subscriber>>();
  readonly history: ChannelHistory;
  private readonly fanOut: FanOut;

  constructor(
    private readonly channels: PullChannels,
    private readonly clock: Clock,
    private readonly serverName: () => string,
    options: PullServerOptions,
    onError: (error: unknown) => void,
  ) {
    this.history = new ChannelHistory(options.historySize, options.historyTtlMs);
    this.fanOut = new FanOut(options.fanOutChunk, onError);
  }

  /** The hub listener. Serialisation happens once per message, delivery in order and in chunks. */
  publish = (command: PullCommand, recipients: Recipients): void => {
    const message = this.message(command);
    this.fanOut.push(
      'channel' in recipients ? this.toChannel(message, recipients.channel) : this.toUsers(message, recipients.users),
    );
  };

  /** Queues transport work (pings) behind the deliveries, in the same chunked loop. */
  schedule(job: Job): void {
    this.fanOut.push(job);
  }

  /** Registers a listener and returns what it missed since its `mid` (or `tag`); empty without either. */
  attach(subscriber: Subscriber, resume: Resume): Delivery[] {
    const now = this.clock.now();
    const after = this.resumePoint(resume);
    const backlog = after === undefined ? [] : this.history.since(subscriber.channels, after, now);
    subscriber.since = this.seq;
    for (const channel of subscriber.channels) {
      this.history.track(channel, now);
      addTo(this.byChannel, channel, subscriber);
    }
    if (subscriber.privateChannel) addTo(this.byUser, subscriber.userId, subscriber);
    return backlog;
  }

  detach(subscriber: Subscriber): void {
    const now = this.clock.now();
    for (const channel of subscriber.channels) {
      this.history.track(channel, now); // its history is kept for the window from now
      const set = this.byChannel.get(channel);
      set?.delete(subscriber);
      if (set?.size === 0) this.byChannel.delete(channel);
    }
    const set = this.byUser.get(subscriber.userId);
    set?.delete(subscriber);
    if (set?.size === 0) this.byUser.delete(subscriber.userId);
  }

  /** A client's `mack:<mid>`. */
  ack(channel: string, mid: string): void {
    if (this.parseMid(mid)) this.history.ack(channel, mid);
  }

  /** The newest message id on these channels, for a long poll that ends without news (`Last-Message-Id`). */
  lastMid(channels: readonly string[]): string | undefined {
    return this.history.latest(channels)?.mid;
  }

  /**
   * A channel was renewed (`fresh` as the config lists it): its listeners get `channel_expire` (b24jssdk
   * `handleInternalPullEvent`). Channel-id connections swap in `new_channel` and reconnect; token connections must
   * fetch a new config (their jwt names the old id).
   */
  replaced(old: PullChannel, fresh: Record<string, unknown>): void {
    const listeners = this.byChannel.get(old.id);
    if (!listeners) return;
    const channel = { id: old.id, type: old.type };
    const reconnect = this.message({
      module_id: 'pull',
      command: 'channel_expire',
      params: { action: 'reconnect', channel, new_channel: fresh },
    });
    const getConfig = this.message({
      module_id: 'pull',
      command: 'channel_expire',
      params: { action: 'get_config', channel },
    });
    for (const subscriber of [...listeners]) subscriber.deliver(subscriber.viaToken ? getConfig : reconnect, old.id);
  }

  /** Users with a private channel connection open now. */
  connectedUsers(): number[] {
    return [...this.byUser.keys()];
  }

  sweep(): void {
    this.history.sweep(this.clock.now(), (channel) => this.byChannel.has(channel));
  }

  stats() {
    const listeners = new Set<Subscriber>();
    for (const set of this.byChannel.values()) for (const subscriber of set) listeners.add(subscriber);
    return {
      users: this.byUser.size,
      channels: this.byChannel.size,
      listeners: listeners.size,
      historyChannels: this.history.size,
      lastSeq: this.seq,
      pendingJobs: this.fanOut.pending,
    };
  }

  private message(command: PullCommand): PullMessage {
    const seq = ++this.seq;
    return new PullMessage(
      seq,
      this.epoch + seq.toString(16).padStart(16, '0'),
      command,
      this.clock.now(),
      this.serverName(),
    );
  }

  private *toUsers(message: PullMessage, users: readonly number[]): Job {
    for (const userId of users) {
      for (const channel of this.channels.privateOf(userId)) this.history.add(channel.id, message);
      const listeners = this.byUser.get(userId);
      if (listeners) {
        for (const subscriber of listeners) {
          if (message.seq > subscriber.since) subscriber.deliver(message, subscriber.privateChannel!);
        }
      }
      yield;
    }
  }

  private *toChannel(message: PullMessage, channel: string): Job {
    this.history.add(channel, message);
    const listeners = this.byChannel.get(channel);
    if (!listeners) return;
    for (const subscriber of listeners) {
      if (message.seq > subscriber.since) subscriber.deliver(message, channel);
      yield;
    }
  }

  /** Sequence to resume after: a `mid` of this run gives its position; any other `mid` means "all you have". */
  private resumePoint(resume: Resume): number | null | undefined {
    if (resume.mid) {
      const parsed = this.parseMid(resume.mid);
      return parsed && parsed.epoch === this.epoch ? parsed.seq : null;
    }
    if (resume.tag && /^\d{1,15}$/.test(resume.tag)) return Number(resume.tag);
    return undefined;
  }

  private parseMid(mid: string): { epoch: string; seq: number } | undefined {
    if (!/^[0-9a-f]{32}$/.test(mid)) return undefined;
    return { epoch: mid.slice(0, 16), seq: Number.parseInt(mid.slice(16), 16) };
  }
}

function addTo<K>(index: Map<K, Set<Subscriber>>, key: K, subscriber: Subscriber): void {
  const set = index.get(key);
  if (set) set.add(subscriber);
  else index.set(key, new Set([subscriber]));
}
