import type { Clock } from '../clock.ts';
import { atom } from '../wire/envelope.ts';
import type { PullChannel, PullChannels } from './channels.ts';
import type { Hub, PullCommand } from './hub.ts';
import { signToken } from './jwt.ts';
import { REVISION_MOBILE, REVISION_WEB } from './pull-message.ts';

/** Where the pull endpoints live on this server; the config advertises them. */
export const PULL_PATHS = { websocket: '/subws/', longPolling: '/sub/', publish: '/pub/' } as const;

/** What the `pull.*` REST methods use; the pull feature puts it in `services.extensions.pull`. */
export interface PullService {
  /** The connection config for a user, for one application (`''` = the portal's own channels). */
  config(input: { userId: number; appKey: string; cache: boolean; reopen: boolean }): Promise<PullConfig>;
  /** An application's event to its shared channel. */
  toShared(appKey: string, command: PullCommand): Promise<void>;
  /** An application's event to these users' channels of that application. */
  toUsers(appKey: string, userIds: number[], command: PullCommand): Promise<void>;
}

export type PullConfig = Awaited<ReturnType<PullConfigs['config']>>;

/** A channel as the config lists it (and `channel_expire` hands over as `new_channel`). */
export function channelView(channels: PullChannels, channel: PullChannel) {
  return {
    id: channel.id,
    // b24restdocs: `public_id` "may be absent for shared".
    ...(channel.type === 'private' ? { public_id: channels.publicId(channel) } : {}),
    start: atom(channel.start),
    end: atom(channel.end),
    type: channel.type,
  };
}

/**
 * `pull.application.config.get` / `pull.config.get` answers for a server version 5 (JSON-RPC) as b24jssdk's
 * PullClient reads them: URLs from this server's own base URL, a jwt naming the user's channels, `serverTime` for
 * the client's clock shift.
 */
export class PullConfigs implements PullService {
  constructor(
    private readonly channels: PullChannels,
    private readonly hub: Hub,
    private readonly clock: Clock,
    private readonly baseUrl: () => string,
    private readonly secret: string,
    /** Unix seconds this config layout dates from (the SDK compares it between fetches). */
    private readonly configTimestamp: number,
  ) {}

  async config(input: { userId: number; appKey: string; cache: boolean; reopen: boolean }) {
    const options = { cache: input.cache, reopen: input.reopen };
    const own = await this.channels.current({ type: 'private', userId: input.userId, appKey: input.appKey }, options);
    const shared = await this.channels.current({ type: 'shared', userId: 0, appKey: input.appKey }, options);
    const base = new URL(this.baseUrl());
    const http = base.origin;
    const ws = `${base.protocol === 'https:' ? 'wss:' : 'ws:'}//${base.host}`;
    const exp = Math.floor(Math.min(own.end, shared.end) / 1000);
    const publicId = this.channels.publicId(own);
    return {
      serverTime: atom(this.clock.now()),
      server: {
        version: 5,
        server_enabled: true,
        mode: 'personal',
        hostname: base.host,
        long_polling: http + PULL_PATHS.longPolling,
        long_pooling_secure: http + PULL_PATHS.longPolling, // sic: the platform's spelling
        websocket_enabled: true,
        websocket: ws + PULL_PATHS.websocket,
        websocket_secure: ws + PULL_PATHS.websocket,
        // Client-to-client publishing is not offered; the URL still takes long-polling `mack:` acknowledgements.
        publish_enabled: false,
        publish: http + PULL_PATHS.publish,
        publish_secure: http + PULL_PATHS.publish,
        config_timestamp: this.configTimestamp,
      },
      api: { revision_web: REVISION_WEB, revision_mobile: REVISION_MOBILE },
      channels: { private: channelView(this.channels, own), shared: channelView(this.channels, shared) },
      publicChannels: {
        [input.userId]: {
          user_id: input.userId,
          public_id: publicId,
          signature: this.channels.signature(publicId),
          start: atom(own.start),
          end: atom(own.end),
        },
      },
      jwt: signToken({ sub: input.userId, chn: [own.id, shared.id], exp }, this.secret),
      exp,
      // Only a shared-mode (cloud) server hands out a clientId; ours is personal.
      clientId: null,
    };
  }

  async toShared(appKey: string, command: PullCommand): Promise<void> {
    const shared = await this.channels.current({ type: 'shared', userId: 0, appKey }, { cache: true, reopen: true });
    this.hub.publish({ channel: shared.id }, command);
  }

  async toUsers(appKey: string, userIds: number[], command: PullCommand): Promise<void> {
    // A user who never asked this application for a config has no channel, hence no listener to tell.
    for (const channel of await this.channels.privateFor(userIds, appKey))
      this.hub.publish({ channel: channel.id }, command);
  }
}
