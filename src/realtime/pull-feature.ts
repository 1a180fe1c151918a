import type { Feature } from '../app.ts';
import { settingOrCreate } from '../domain/settings.ts';
import { secret } from '../wire/secrets.ts';
import { PullChannels } from './channels.ts';
import { readListening } from './listen-query.ts';
import { registerLongPolling } from './long-poll.ts';
import { PullServer } from './pull-server.ts';
import { channelView, PullConfigs } from './pull-service.ts';
import { WsEndpoint } from './ws-endpoint.ts';

export interface PullOptions {
  /** Messages kept per channel for `mid` resume. */
  historySize: number;
  /** How long they are kept, and how long a channel's history outlives its last listener. */
  historyTtlMs: number;
  /** How long a long-poll request is held without news before its 304. */
  longPollTimeoutMs: number;
  pingIntervalMs: number;
  maxBufferedBytes: number;
  slowCloseGraceMs: number;
  /** Wall time the fan-out queue may hold the event loop per turn before yielding to other work. */
  fanOutSliceMs: number;
}

/** docs/decisions.md "Push & Pull" explains each value. */
export const PULL_DEFAULTS: PullOptions = {
  historySize: 100,
  historyTtlMs: 10 * 60 * 1000,
  longPollTimeoutMs: 40 * 1000,
  pingIntervalMs: 10 * 1000,
  maxBufferedBytes: 1024 * 1024,
  slowCloseGraceMs: 5 * 1000,
  fanOutSliceMs: 4,
};

/**
 * Push & Pull: channels, the `pull.*` methods' service, the WebSocket and long-polling endpoints on the app's own
 * server, and the hub subscription that turns domain commands into channel messages.
 */
export function pullFeature(options: Partial<PullOptions> = {}): Feature {
  const o = { ...PULL_DEFAULTS, ...options };
  return async (app) => {
    const { clock, hub, extensions } = app.services;
    const log = app.fastify.log;
    // Signs the jwts and derives public ids; kept in the store so both survive a restart.
    const serverSecret = await settingOrCreate(app.db, 'pull_secret', () => secret(32));
    const channels: PullChannels = new PullChannels(app.db, clock, serverSecret, (old, fresh) =>
      server.replaced(old, channelView(channels, fresh)),
    );
    const server = new PullServer(
      clock,
      () => app.services.portal().domain,
      { ...o, recordAll: hub.shared },
      (error) => log.error({ err: error }, 'pull delivery failed'),
    );
    extensions.pull = new PullConfigs(channels, hub, clock, app.baseUrl, serverSecret, Math.floor(clock.now() / 1000));
    extensions.pullServer = server;

    // Connecting, and staying connected, is activity (IS_ONLINE, LAST_ACTIVITY_DATE of user.get / user.current).
    const resolve = async (query: URLSearchParams) => {
      const listening = await readListening(query, channels, serverSecret, clock.now());
      if (typeof listening === 'object' && listening.userId > 0) await app.domain.users.noteActivity(listening.userId);
      return listening;
    };
    const noteConnected = () => {
      app.domain.users
        .noteActivityOf(server.connectedUsers())
        .catch((error) => log.error({ err: error }, 'activity not noted'));
    };
    const sockets = new WsEndpoint(app.fastify.server, server, resolve, clock, o, (error) =>
      log.error({ err: error }, 'pull socket failed'),
    );
    const polls = registerLongPolling(app.fastify, server, resolve, clock, o.longPollTimeoutMs);
    const unsubscribe = hub.subscribe(server.publish);
    const sweeper = setInterval(
      () => {
        server.sweep();
        noteConnected();
      },
      Math.min(o.historyTtlMs, 30_000),
    );
    sweeper.unref();

    return async () => {
      unsubscribe();
      clearInterval(sweeper);
      polls.close();
      await sockets.close();
      delete extensions.pull;
      delete extensions.pullServer;
    };
  };
}
