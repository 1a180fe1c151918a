import type { Clock } from '../clock.ts';
import type { PullChannel } from './channels.ts';
import { BATCH, eachOf, FanOut, type Job } from './fan-out.ts';
import { ChannelHistory, type HistoryKey } from './history.ts';
import type { PullCommand, Recipients, Stamp } from './hub.ts';
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
  /**
   * The last message it has (its backlog's newest, else its resume point, else 0): only later ones are delivered
   * live. Set by the server.
   */
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
  /** Wall time the fan-out queue may hold the event loop per turn. */
  fanOutSliceMs: number;
  /** Keep the history of every channel, not only of those listened on here (a hub shared by several nodes). */
  recordAll?: boolean;
}

/**
 * Routes hub commands to channels: `{users}` to every private channel of those users (several tabs, the portal
 * and applications), `{channel}` to one channel. Keeps each channel's recent history for `mid` resume. Knows nothing
 * of sockets or HTTP.
 */
export class PullServer {
  /** The last hub stamp seen: the epoch current `mid`s belong to. */
  private last: Stamp = { epoch: '', seq: 0, timeMs: 0 };
  private readonly byChannel = new Map<string, Set<Subscriber>>();
  /** Arrays, not sets: a user has one or two listeners, walked for every message without an iterator. */
  private readonly byUser = new Map<number, Subscriber[]>();
  readonly history: ChannelHistory;
  private readonly fanOut: FanOut;

  constructor(
    private readonly clock: Clock,
    private readonly serverName: () => string,
    options: PullServerOptions,
    onError: (error: unknown) => void,
  ) {
    this.history = new ChannelHistory(options.historySize, options.historyTtlMs, options.recordAll ?? false);
    this.fanOut = new FanOut(options.fanOutSliceMs, onError);
  }

  /** The hub listener. Serialisation happens once per message, delivery in order and in time slices. */
  publish = (command: PullCommand, recipients: Recipients, stamp: Stamp): void => {
    this.last = stamp;
    const message = this.message(command, stamp);
    this.fanOut.push(
      'channel' in recipients ? this.toChannel(message, recipients.channel) : this.toUsers(message, recipients.users),
    );
  };

  /** Queues transport work (pings) behind the deliveries, in the same sliced loop. */
  schedule(job: Job): void {
    this.fanOut.push(job);
  }

  /**
   * Registers a listener and returns what it missed since its `mid` (or `tag`); empty without either. The backlog is
   * what was routed to its channels before now; what is routed later comes live. A message published earlier but
   * not yet routed to them (a sliced fan-out half way, or queued behind one) is in neither the history nor the
   * backlog yet, so it must come live: the position is the backlog's, not the hub's last stamp. The queue routes in
   * order, so everything routed later is newer than the backlog.
   */
  attach(subscriber: Subscriber, resume: Resume): Delivery[] {
    const now = this.clock.now();
    const after = this.resumePoint(resume);
    const keys = historyKeys(subscriber);
    const backlog: Delivery[] =
      after === undefined
        ? []
        : this.history
            .since(keys, after, now)
            .map(([m, key]) => [m, typeof key === 'number' ? subscriber.privateChannel! : key]);
    subscriber.since = backlog.length > 0 ? backlog[backlog.length - 1][0].seq : (after ?? 0);
    for (const key of keys) this.history.track(key, now);
    for (const channel of subscriber.channels) addTo(this.byChannel, channel, subscriber);
    if (subscriber.privateChannel) {
      const listeners = this.byUser.get(subscriber.userId);
      if (listeners) listeners.push(subscriber);
      else this.byUser.set(subscriber.userId, [subscriber]);
    }
    return backlog;
  }

  detach(subscriber: Subscriber): void {
    const now = this.clock.now();
    for (const key of historyKeys(subscriber)) this.history.track(key, now); // kept for the window from now
    for (const channel of subscriber.channels) {
      const set = this.byChannel.get(channel);
      set?.delete(subscriber);
      if (set?.size === 0) this.byChannel.delete(channel);
    }
    const listeners = this.byUser.get(subscriber.userId);
    const at = listeners?.indexOf(subscriber) ?? -1;
    if (at !== -1) listeners!.splice(at, 1);
    if (listeners?.length === 0) this.byUser.delete(subscriber.userId);
  }

  /** A client's `mack:<mid>`. */
  ack(channel: string, mid: string): void {
    if (this.parseMid(mid)) this.history.ack(channel, mid);
  }

  /** The newest message id for this listener, for a long poll that ends without news (`Last-Message-Id`). */
  lastMid(subscriber: Pick<Subscriber, 'userId' | 'privateChannel' | 'channels'>): string | undefined {
    return this.history.latest(historyKeys(subscriber))?.mid;
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
    // Not a hub message: it takes the position of the last one, so a client resuming from it misses nothing.
    const stamp = { ...this.last, timeMs: this.clock.now() };
    const reconnect = this.message(
      { module_id: 'pull', command: 'channel_expire', params: { action: 'reconnect', channel, new_channel: fresh } },
      stamp,
    );
    const getConfig = this.message(
      { module_id: 'pull', command: 'channel_expire', params: { action: 'get_config', channel } },
      stamp,
    );
    for (const subscriber of [...listeners]) subscriber.deliver(subscriber.viaToken ? getConfig : reconnect, old.id);
  }

  /** Users with a private channel connection open now. */
  connectedUsers(): number[] {
    return [...this.byUser.keys()];
  }

  sweep(): void {
    this.history.sweep(this.clock.now(), (key) =>
      typeof key === 'number' ? this.byUser.has(key) : this.byChannel.has(key),
    );
  }

  stats() {
    const listeners = new Set<Subscriber>();
    for (const set of this.byChannel.values()) for (const subscriber of set) listeners.add(subscriber);
    return {
      users: this.byUser.size,
      channels: this.byChannel.size,
      listeners: listeners.size,
      historyChannels: this.history.size,
      lastSeq: this.last.seq,
      pendingJobs: this.fanOut.pending,
    };
  }

  private message(command: PullCommand, stamp: Stamp): PullMessage {
    const mid = stamp.epoch + stamp.seq.toString(16).padStart(16, '0');
    return new PullMessage(stamp.seq, mid, command, stamp.timeMs, this.serverName());
  }

  /**
   * Each batch of users is routed first (history, listeners) and then written in one burst: the sends of a batch
   * follow each other with nothing between them, so a receiving process woken by the first finds the rest waiting
   * instead of going back to sleep after each. One scratch array per fan-out, nothing per recipient.
   */
  private toUsers(message: PullMessage, users: readonly number[]): Job {
    const targets: Subscriber[] = [];
    let i = 0;
    return (turn) => {
      while (i < users.length) {
        const end = Math.min(users.length, i + BATCH);
        for (; i < end; i++) {
          const userId = users[i];
          this.history.add(userId, message);
          const listeners = this.byUser.get(userId);
          if (listeners === undefined) continue;
          for (let j = 0; j < listeners.length; j++) {
            if (message.seq > listeners[j].since) targets.push(listeners[j]);
          }
        }
        for (let j = 0; j < targets.length; j++) targets[j].deliver(message, targets[j].privateChannel!);
        targets.length = 0;
        if (turn.over()) return false;
      }
      return true;
    };
  }

  private toChannel(message: PullMessage, channel: string): Job {
    let job: Job | undefined;
    return (turn) => {
      if (!job) {
        // Recorded when its turn in the queue comes, like a message to users.
        this.history.add(channel, message);
        const listeners = this.byChannel.get(channel);
        if (!listeners) return true;
        job = eachOf(listeners.values(), (subscriber) => {
          if (message.seq > subscriber.since) subscriber.deliver(message, channel);
        });
      }
      return job(turn);
    };
  }

  /** Sequence to resume after: a `mid` of this run gives its position; any other `mid` means "all you have". */
  private resumePoint(resume: Resume): number | null | undefined {
    if (resume.mid) {
      const parsed = this.parseMid(resume.mid);
      return parsed && parsed.epoch === this.last.epoch ? parsed.seq : null;
    }
    if (resume.tag && /^\d{1,15}$/.test(resume.tag)) return Number(resume.tag);
    return undefined;
  }

  private parseMid(mid: string): { epoch: string; seq: number } | undefined {
    if (!/^[0-9a-f]{32}$/.test(mid)) return undefined;
    return { epoch: mid.slice(0, 16), seq: Number.parseInt(mid.slice(16), 16) };
  }
}

/**
 * Where a listener's history is kept: its user's (first, when it has a private channel: every private channel of a
 * user gets the same messages; keyed by the user id), then each channel's own (shared channels, application events
 * to one channel).
 */
function historyKeys(subscriber: Pick<Subscriber, 'userId' | 'privateChannel' | 'channels'>): HistoryKey[] {
  return subscriber.privateChannel ? [subscriber.userId, ...subscriber.channels] : [...subscriber.channels];
}

function addTo<K>(index: Map<K, Set<Subscriber>>, key: K, subscriber: Subscriber): void {
  const set = index.get(key);
  if (set) set.add(subscriber);
  else index.set(key, new Set([subscriber]));
}
