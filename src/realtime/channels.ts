import { createHmac } from 'node:crypto';
import type { Clock } from '../clock.ts';
import type { Db } from '../store/db.ts';
import { secret } from '../wire/secrets.ts';

export type ChannelType = 'private' | 'shared';

/** Who a channel belongs to: a user's private channel or a shared one (user 0), per application (`''` = portal). */
export interface ChannelOwner {
  type: ChannelType;
  userId: number;
  appKey: string;
}

export interface PullChannel extends ChannelOwner {
  id: string;
  /** Epoch ms. */
  start: number;
  end: number;
}

/** b24restdocs pull-application-config-get.md: channels live 12 hours (start 17:05, end 05:05 next day). */
export const CHANNEL_LIFETIME_MS = 12 * 3600 * 1000;

const CHANNEL_ID = /^[0-9a-f]{32}$/;

interface ChannelRow {
  id: string;
  user_id: number;
  app_key: string;
  type: ChannelType;
  start_at: Date;
  end_at: Date;
}

const fromRow = (row: ChannelRow): PullChannel => ({
  id: row.id,
  type: row.type,
  userId: row.user_id,
  appKey: row.app_key,
  start: row.start_at.getTime(),
  end: row.end_at.getTime(),
});

const ownerKey = (o: ChannelOwner) => `${o.type}:${o.userId}:${o.appKey}`;

/**
 * The `pull_channels` table with a per-node cache: one current channel per owner, created on first use and replaced
 * by a new id when it has expired and the caller asks to reopen it. `onReplaced` tells the pull server, which sends
 * `channel_expire` to whoever still listens on the old id.
 */
export class PullChannels {
  private readonly byId = new Map<string, PullChannel>();
  private readonly byOwner = new Map<string, PullChannel>();

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly serverSecret: string,
    private readonly onReplaced: (old: PullChannel, fresh: PullChannel) => void,
  ) {}

  /** The owner's channel: created when missing, renewed when expired and `reopen`; `cache: false` re-reads the store. */
  async current(owner: ChannelOwner, options: { cache: boolean; reopen: boolean }): Promise<PullChannel> {
    let channel = options.cache ? this.byOwner.get(ownerKey(owner)) : undefined;
    channel ??= (await this.load(owner)) ?? (await this.create(owner));
    if (options.reopen && channel.end <= this.clock.now()) channel = await this.renew(channel);
    return channel;
  }

  /** A current channel by id; ids that were replaced or never issued are unknown. */
  async find(id: string): Promise<PullChannel | undefined> {
    if (!CHANNEL_ID.test(id)) return undefined;
    const known = this.byId.get(id);
    if (known) return known;
    const row = await this.db.one<ChannelRow>('SELECT * FROM pull_channels WHERE id = $1', [id]);
    return row ? this.remember(fromRow(row)) : undefined;
  }

  /** The private channels of these users for one application, without creating any. */
  async privateFor(userIds: number[], appKey: string): Promise<PullChannel[]> {
    const rows = await this.db.query<ChannelRow>(
      `SELECT * FROM pull_channels WHERE user_id = ANY($1) AND app_key = $2 AND type = 'private'`,
      [userIds, appKey],
    );
    return rows.map((row) => this.remember(fromRow(row)));
  }

  /** The channel's public id (config `public_id`); derived, so it needs no column and changes with the channel. */
  publicId(channel: PullChannel): string {
    return createHmac('sha256', this.serverSecret).update(`public:${channel.id}`).digest('hex').slice(0, 32);
  }

  /** `publicChannels[].signature`: an HMAC of the public id (the docs leave the algorithm open). */
  signature(publicId: string): string {
    return createHmac('sha1', this.serverSecret).update(publicId).digest('hex');
  }

  private async load(owner: ChannelOwner): Promise<PullChannel | undefined> {
    const row = await this.db.one<ChannelRow>(
      'SELECT * FROM pull_channels WHERE user_id = $1 AND app_key = $2 AND type = $3',
      [owner.userId, owner.appKey, owner.type],
    );
    return row ? this.remember(fromRow(row)) : undefined;
  }

  private async create(owner: ChannelOwner): Promise<PullChannel> {
    const now = this.clock.now();
    const row = await this.db.one<ChannelRow>(
      `INSERT INTO pull_channels (id, user_id, app_key, type, start_at, end_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (user_id, app_key, type) DO NOTHING RETURNING *`,
      [secret(16), owner.userId, owner.appKey, owner.type, new Date(now), new Date(now + CHANNEL_LIFETIME_MS)],
    );
    // Lost a race with another request (or node) creating the same owner's channel: use theirs.
    return row ? this.remember(fromRow(row)) : (await this.load(owner))!;
  }

  private async renew(old: PullChannel): Promise<PullChannel> {
    const now = this.clock.now();
    const row = await this.db.one<ChannelRow>(
      'UPDATE pull_channels SET id = $1, start_at = $2, end_at = $3 WHERE id = $4 RETURNING *',
      [secret(16), new Date(now), new Date(now + CHANNEL_LIFETIME_MS), old.id],
    );
    this.forget(old);
    if (!row) return (await this.load(old)) ?? this.create(old); // renewed elsewhere meanwhile
    const fresh = this.remember(fromRow(row));
    this.onReplaced(old, fresh);
    return fresh;
  }

  private remember(channel: PullChannel): PullChannel {
    const previous = this.byOwner.get(ownerKey(channel));
    if (previous && previous.id !== channel.id) this.forget(previous);
    this.byId.set(channel.id, channel);
    this.byOwner.set(ownerKey(channel), channel);
    return channel;
  }

  private forget(channel: PullChannel): void {
    this.byId.delete(channel.id);
    if (this.byOwner.get(ownerKey(channel))?.id === channel.id) this.byOwner.delete(ownerKey(channel));
  }
}
