import type { PullMessage } from './pull-message.ts';

/** A channel id, or a user id: one ring for all of a user's private channels (a number, so routing builds no key). */
export type HistoryKey = string | number;

/**
 * A circular buffer: appended to until full, then each message overwrites the oldest at `next`, so recording a
 * message for 10,000 users moves and allocates nothing (an array shifted at the front and pushed at the back
 * reallocates its store every few dozen messages).
 */
interface Ring {
  slots: PullMessage[];
  /** Where the oldest message is once the ring is full (0 until then). */
  next: number;
  /** Epoch ms the channel last had a listener; rings idle longer than the window are dropped. */
  seenAt: number;
  /** The last `mid` a client on this channel acknowledged (`mack:`). */
  acked?: string;
}

/**
 * Recent messages per channel, so a client reconnecting with `mid` gets what it missed (server v3+ history). Only
 * channels with a listener now, or within the window, keep one: a `mid` can only come from such a connection.
 * Bounded by count and age (docs/decisions.md).
 */
export class ChannelHistory {
  private readonly rings = new Map<HistoryKey, Ring>();

  constructor(
    private readonly limit: number,
    private readonly ttlMs: number,
    /** Keep every channel's messages, listened on here or not (several nodes: the client may come back here). */
    private readonly recordAll = false,
  ) {}

  /** Starts (or keeps) recording for a channel that has a listener now. */
  track(channel: HistoryKey, nowMs: number): void {
    const ring = this.rings.get(channel);
    if (ring) ring.seenAt = nowMs;
    else this.rings.set(channel, { slots: [], next: 0, seenAt: nowMs });
  }

  add(channel: HistoryKey, message: PullMessage): void {
    let ring = this.rings.get(channel);
    if (this.recordAll) {
      if (!ring) {
        ring = { slots: [], next: 0, seenAt: message.timeMs };
        this.rings.set(channel, ring);
      } else ring.seenAt = Math.max(ring.seenAt, message.timeMs);
    }
    if (!ring) return;
    if (ring.slots.length < this.limit) ring.slots.push(message);
    else {
      ring.slots[ring.next] = message;
      ring.next = (ring.next + 1) % this.limit;
    }
  }

  /**
   * Messages on these channels after `afterSeq`, oldest first, each with the channel it came on; `null` = everything
   * retained, for a client whose `mid` is from another server run.
   */
  since(channels: readonly HistoryKey[], afterSeq: number | null, nowMs: number): [PullMessage, HistoryKey][] {
    const out: [PullMessage, HistoryKey][] = [];
    for (const channel of channels) {
      const ring = this.rings.get(channel);
      if (!ring) continue;
      for (const message of ordered(ring)) {
        if (nowMs - message.timeMs > this.ttlMs) continue;
        if (afterSeq === null || message.seq > afterSeq) out.push([message, channel]);
      }
    }
    return channels.length > 1 ? out.sort((a, b) => a[0].seq - b[0].seq) : out;
  }

  /** The newest retained message on these channels. */
  latest(channels: readonly HistoryKey[]): PullMessage | undefined {
    let newest: PullMessage | undefined;
    for (const channel of channels) {
      const ring = this.rings.get(channel);
      const last = ring?.slots[(ring.next + ring.slots.length - 1) % ring.slots.length];
      if (last && (!newest || last.seq > newest.seq)) newest = last;
    }
    return newest;
  }

  /** Drops messages older than the window, and the rings of channels nobody has listened on within it. */
  sweep(nowMs: number, listening: (channel: HistoryKey) => boolean): void {
    for (const [channel, ring] of this.rings) {
      const messages = ordered(ring);
      const keepFrom = messages.findIndex((m) => nowMs - m.timeMs <= this.ttlMs);
      if (keepFrom !== 0) {
        ring.slots = keepFrom === -1 ? [] : messages.slice(keepFrom);
        ring.next = 0;
      }
      if (listening(channel)) ring.seenAt = nowMs;
      else if (nowMs - ring.seenAt > this.ttlMs) this.rings.delete(channel);
    }
  }

  ack(channel: string, mid: string): void {
    const ring = this.rings.get(channel);
    if (ring) ring.acked = mid;
  }

  acked(channel: string): string | undefined {
    return this.rings.get(channel)?.acked;
  }

  /** Channels with a ring (for stats). */
  get size(): number {
    return this.rings.size;
  }
}

/** A ring's messages, oldest first. */
function ordered(ring: Ring): PullMessage[] {
  return ring.next === 0 ? ring.slots : [...ring.slots.slice(ring.next), ...ring.slots.slice(0, ring.next)];
}
