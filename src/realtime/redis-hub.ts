import type { Redis } from 'ioredis';
import type { Clock } from '../clock.ts';
import { secret } from '../wire/secrets.ts';
import type { Hub, HubListener, PullCommand, Recipients, Stamp } from './hub.ts';

const SEQ = 'b24:pull:seq';
const LOG = 'b24:pull:log';
const EPOCH = 'b24:pull:epoch';

// One atomic step: the next number of the cluster's sequence, and the command appended to the log under it, so
// the log's order is the sequence's order whichever node published. A Redis that lost its data starts a new epoch.
const PUBLISH = `
local epoch = redis.call('GET', KEYS[3])
if not epoch then epoch = ARGV[3]; redis.call('SET', KEYS[3], epoch) end
local seq = redis.call('INCR', KEYS[1])
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], seq .. '-1', 'e', epoch, 'm', ARGV[1])
return seq`;

export interface RedisHubOptions {
  /** Log entries kept (roughly: Redis trims whole nodes); the pull history reads at most this far back. */
  maxLength: number;
  /** How far back a starting node reads the log to fill its history. */
  replayMs: number;
}

type Entry = [id: string, fields: string[]];

/**
 * The hub of several nodes: every command goes into one Redis stream, numbered by one counter, and every node reads
 * the stream in order (XREAD BLOCK) and hands each command to its pull server. So all nodes see all commands in the
 * same order, a per-channel order included, and a node that starts reads back the recent log to fill its history
 * for `mid` resume.
 */
export class RedisHub implements Hub {
  readonly shared = true;
  private readonly listeners = new Set<HubListener>();
  private lastId = '0-0';
  private epoch: string | undefined;
  private running = true;
  /** Set after a failed read (Redis may have restarted empty) and when idle: compare the epoch before reading on. */
  private recheck = false;
  private reading: Promise<void> | undefined;

  constructor(
    private readonly redis: Redis,
    /** A connection of its own: XREAD BLOCK holds it. */
    private readonly reader: Redis,
    private readonly clock: Clock,
    private readonly options: RedisHubOptions,
    private readonly onError: (error: unknown) => void,
  ) {}

  publish(recipients: Recipients, command: PullCommand): void {
    const payload = JSON.stringify({ r: recipients, c: command, t: this.clock.now() });
    this.redis
      .eval(PUBLISH, 3, SEQ, LOG, EPOCH, payload, this.options.maxLength, secret(8))
      .catch((error) => this.onError(error));
  }

  subscribe(listener: HubListener): () => void {
    this.listeners.add(listener);
    this.reading ??= this.start();
    return () => this.listeners.delete(listener);
  }

  /** Stops reading (the blocked XREAD returns within its timeout). */
  async close(): Promise<void> {
    this.running = false;
    this.reader.disconnect();
    await this.reading;
  }

  private async start(): Promise<void> {
    await this.replay().catch((error) => this.onError(error));
    while (this.running) {
      try {
        if (this.recheck) await this.checkEpoch();
        const answer = (await this.reader.xread('COUNT', 1000, 'BLOCK', 1000, 'STREAMS', LOG, this.lastId)) as
          | [string, Entry[]][]
          | null;
        if (answer) for (const entry of answer[0][1]) this.dispatch(entry);
        else this.recheck = true;
      } catch (error) {
        if (!this.running) return;
        this.recheck = true;
        this.onError(error);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  }

  /** The recent log, read when the node starts so its history covers what clients may resume from. */
  private async replay(): Promise<void> {
    this.epoch = (await this.redis.get(EPOCH)) ?? undefined;
    const from = this.clock.now() - this.options.replayMs;
    const entries = (await this.redis.xrevrange(LOG, '+', '-', 'COUNT', this.options.maxLength)) as Entry[];
    if (entries.length) this.lastId = entries[0][0];
    for (let i = entries.length - 1; i >= 0; i--) {
      const data = decode(entries[i]);
      if (data && data.stamp.timeMs >= from) this.deliver(data);
    }
  }

  /** After Redis lost its data the sequence restarts: read the new log from its beginning. */
  private async checkEpoch(): Promise<void> {
    const epoch = (await this.reader.get(EPOCH)) ?? undefined;
    this.recheck = false;
    if (epoch !== this.epoch) {
      if (this.epoch !== undefined) this.lastId = '0-0';
      this.epoch = epoch;
    }
  }

  private dispatch(entry: Entry): void {
    this.lastId = entry[0];
    const data = decode(entry);
    if (!data) return;
    this.epoch = data.stamp.epoch;
    this.deliver(data);
  }

  private deliver({ command, recipients, stamp }: NonNullable<ReturnType<typeof decode>>): void {
    for (const listener of this.listeners) {
      try {
        listener(command, recipients, stamp);
      } catch (error) {
        this.onError(error);
      }
    }
  }
}

function decode([id, fields]: Entry): { command: PullCommand; recipients: Recipients; stamp: Stamp } | undefined {
  const value = (name: string) => fields[fields.indexOf(name) + 1];
  try {
    const { r, c, t } = JSON.parse(value('m'));
    return { command: c, recipients: r, stamp: { epoch: value('e'), seq: Number(id.split('-')[0]), timeMs: t } };
  } catch {
    return undefined;
  }
}
