import type { Rest } from './rest.ts';

/** One command of a Push & Pull message: `text` of the message object (b24restdocs custom-push-and-pull-client). */
export interface PullCommand {
  module_id: string;
  command: string;
  params: Record<string, any>;
}

interface PullConfig {
  server: { websocket: string; websocket_secure: string; server_enabled: boolean };
  channels: { private?: { id: string }; shared?: { id: string } };
}

interface PullMessage {
  mid?: string;
  text?: PullCommand;
}

/** Reconnect delays: quick first (a restarted local server is back in a moment), then backing off. */
const BACKOFF_MS = [100, 1000, 5000, 15000];

/**
 * A Push & Pull client as the docs describe one: `pull.application.config.get`, then the advertised WebSocket with
 * the channel ids in `CHANNEL_ID` and `format=json`; `mid` resumes after a reconnect so nothing is missed.
 * `channel_expire`, `config_expire` and `server_restart` (module `pull`) fetch a new config and reconnect.
 */
export class PullClient {
  private socket: WebSocket | undefined;
  private lastMid: string | undefined;
  private failures = 0;
  private stopped = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly listeners = new Set<(command: PullCommand) => void>();
  private readonly statusListeners = new Set<(online: boolean) => void>();

  constructor(private readonly rest: Rest) {}

  subscribe(listener: (command: PullCommand) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onStatus(listener: (online: boolean) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  start(): void {
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.socket?.close();
    this.socket = undefined;
  }

  private async connect(): Promise<void> {
    let url: string;
    try {
      const config = await this.rest.call<PullConfig>('pull.application.config.get', { CACHE: 'N' });
      const base = location.protocol === 'https:' ? config.server.websocket_secure : config.server.websocket;
      const channels = [config.channels.private?.id, config.channels.shared?.id].filter(Boolean);
      const query = new URLSearchParams({ CHANNEL_ID: channels.join('/'), format: 'json' });
      if (this.lastMid) query.set('mid', this.lastMid);
      url = `${base}${base.includes('?') ? '&' : '?'}${query}`;
    } catch {
      this.retry();
      return;
    }
    if (this.stopped) return;
    const socket = new WebSocket(url);
    this.socket = socket;
    socket.onopen = () => {
      this.failures = 0;
      this.emitStatus(true);
    };
    socket.onmessage = (event) => this.receive(String(event.data));
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      this.emitStatus(false);
      this.retry();
    };
  }

  private receive(data: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch {
      return;
    }
    for (const message of (Array.isArray(parsed) ? parsed : [parsed]) as PullMessage[]) {
      if (message.mid) this.lastMid = message.mid;
      const command = message.text;
      if (!command?.command) continue;
      if (command.module_id === 'pull') {
        this.control(command);
        continue;
      }
      for (const listener of this.listeners) listener(command);
    }
  }

  /** The server's control commands: every one of them means "fetch the config again and reconnect". */
  private control(command: PullCommand): void {
    if (!['channel_expire', 'config_expire', 'server_restart'].includes(command.command)) return;
    const socket = this.socket;
    this.socket = undefined;
    socket?.close();
    this.connect();
  }

  private retry(): void {
    if (this.stopped) return;
    const delay = BACKOFF_MS[Math.min(this.failures, BACKOFF_MS.length - 1)];
    this.failures++;
    this.timer = setTimeout(() => this.connect(), delay);
  }

  private emitStatus(online: boolean): void {
    for (const listener of this.statusListeners) listener(online);
  }
}
