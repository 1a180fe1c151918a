import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { type RawData, WebSocket, WebSocketServer } from 'ws';
import type { Clock } from '../clock.ts';
import { eachOf, type Job } from './fan-out.ts';
import type { Listening } from './listen-query.ts';
import { type Format, frame, type PullMessage, single, textFrame } from './pull-message.ts';
import type { PullServer, Subscriber } from './pull-server.ts';
import { PULL_PATHS } from './pull-service.ts';
import { answerRpc } from './rpc.ts';

/** b24jssdk CloseReasons.WRONG_CHANNEL_ID: the client fetches a new config before it reconnects. */
export const CLOSE_WRONG_CHANNEL = 4010;
/** Ours: the socket's send buffer passed the bound. The client reconnects and resumes with its `mid`. */
export const CLOSE_SLOW_CONSUMER = 4008;
const CLOSE_GOING_AWAY = 1001;

const TEXT = { binary: false };
/** A ping control frame (opcode 9, no payload); v5 clients also get a JSON-RPC `ping` text before it, in one write. */
const PING_FRAME = Buffer.from([0x89, 0x00]);
const RPC_PING = Buffer.concat([textFrame(Buffer.from('ping')), PING_FRAME]);

export interface WsOptions {
  /** How often sockets are pinged; b24jssdk reconnects after 2 × 10 s without a `ping`. */
  pingIntervalMs: number;
  /** Send-buffer bound per socket before it is closed as a slow consumer. */
  maxBufferedBytes: number;
  /** How long a slow consumer gets to read up to its close frame before the socket is cut. */
  slowCloseGraceMs: number;
}

/** One WebSocket: a handful of fields, no timers of its own. */
class WsListener implements Subscriber {
  since = 0;
  alive = true;
  readonly userId: number;
  readonly privateChannel: string | null;
  readonly channels: readonly string[];
  readonly format: Format;
  readonly viaToken: boolean;

  constructor(
    readonly ws: WebSocket,
    /** The upgraded TCP socket under `ws`: whole frames made once per message are written to it directly. */
    readonly socket: Duplex,
    listening: Listening,
    private readonly endpoint: WsEndpoint,
  ) {
    this.userId = listening.userId;
    this.privateChannel = listening.privateChannel;
    this.channels = listening.channels;
    this.format = listening.format;
    this.viaToken = listening.viaToken;
  }

  deliver(message: PullMessage, channel: string): void {
    // JSON-RPC bytes are the same for every subscriber: one frame per message, shared. The classic envelopes name
    // the channel, so they are framed per socket.
    if (this.format === 'rpc') this.endpoint.write(this, message.rpcWebSocketFrame());
    else this.endpoint.send(this, single(message, this.format, channel));
  }
}

/**
 * The WebSocket endpoint (`/subws/`), on the app's own HTTP server: the v5 JSON-RPC protocol and the classic
 * framed and `format=json` ones. Pings, `mack:` acknowledgements and slow consumers are handled here; routing is
 * the pull server's.
 */
export class WsEndpoint {
  private readonly wss = new WebSocketServer({
    noServer: true,
    clientTracking: false,
    perMessageDeflate: false, // a deflate context costs far more memory per socket than the frames it saves
    maxPayload: 64 * 1024, // clients send pongs, acks and small JSON-RPC requests
  });
  private readonly listeners = new Set<WsListener>();
  private readonly pinger: NodeJS.Timeout;

  constructor(
    private readonly httpServer: Server,
    private readonly server: PullServer,
    private readonly resolve: (query: URLSearchParams) => Promise<Listening | 'missing' | 'wrong'>,
    private readonly clock: Clock,
    private readonly options: WsOptions,
    private readonly onError: (error: unknown) => void,
  ) {
    httpServer.on('upgrade', this.onUpgrade);
    this.pinger = setInterval(() => server.schedule(this.pings()), options.pingIntervalMs);
    this.pinger.unref();
  }

  /** A live message to one socket, unless its buffer shows it is not keeping up. */
  send(listener: WsListener, data: Buffer | string): void {
    if (this.writable(listener)) listener.ws.send(data, TEXT);
  }

  /**
   * Whole frames straight onto the socket, bypassing ws's per-send framing (one header allocation and a two-part
   * `writev` per socket). Safe because ws writes nothing of its own half-way (no compression, no fragments), so
   * frames never interleave.
   */
  write(listener: WsListener, frames: Buffer): void {
    if (this.writable(listener)) listener.socket.write(frames);
  }

  async close(): Promise<void> {
    clearInterval(this.pinger);
    this.httpServer.off('upgrade', this.onUpgrade);
    const closing = [...this.listeners].map(
      ({ ws }) =>
        new Promise<void>((resolve) => {
          ws.once('close', () => resolve());
          ws.close(CLOSE_GOING_AWAY, 'server shutting down');
          setTimeout(() => ws.terminate(), 1000).unref();
        }),
    );
    await Promise.all(closing);
  }

  private onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    if (path !== PULL_PATHS.websocket && `${path}/` !== PULL_PATHS.websocket) {
      // Another feature may serve this path; when nobody else listens, do not leave the socket hanging.
      if (this.httpServer.listenerCount('upgrade') === 1) socket.destroy();
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      this.accept(ws, socket, new URLSearchParams(q === -1 ? '' : url.slice(q + 1))).catch((error) => {
        this.onError(error);
        ws.terminate();
      });
    });
  };

  private async accept(ws: WebSocket, socket: Duplex, query: URLSearchParams): Promise<void> {
    ws.on('error', () => ws.terminate()); // protocol errors (oversized or malformed frames) end this socket only
    const listening = await this.resolve(query);
    if (typeof listening === 'string') {
      ws.close(CLOSE_WRONG_CHANNEL, listening === 'missing' ? 'no channel id or token' : 'wrong channel id or token');
      return;
    }
    if (ws.readyState !== WebSocket.OPEN) return; // left while its channels were looked up
    const listener = new WsListener(ws, socket, listening, this);
    const backlog = this.server.attach(listener, listening.resume);
    this.listeners.add(listener);
    ws.on('close', () => this.forget(listener));
    ws.on('pong', () => {
      listener.alive = true;
    });
    ws.on('message', (data, isBinary) => this.onMessage(listener, data, isBinary));
    if (backlog.length > 0) ws.send(frame(backlog, listener.format, this.clock.now()), TEXT);
  }

  private onMessage(listener: WsListener, data: RawData, isBinary: boolean): void {
    listener.alive = true;
    if (isBinary) return;
    const text = data.toString();
    if (text === 'pong') return;
    if (text.startsWith('mack:')) {
      this.server.ack(listener.privateChannel ?? listener.channels[0], text.slice(5));
      return;
    }
    if (listener.format !== 'rpc') return;
    const answer = answerRpc(text);
    if (answer) listener.ws.send(answer, TEXT);
  }

  private forget(listener: WsListener): void {
    this.server.detach(listener);
    this.listeners.delete(listener);
  }

  /** Open, and keeping up; a socket whose send buffer passed the bound is closed as a slow consumer. */
  private writable(listener: WsListener): boolean {
    if (listener.ws.readyState !== WebSocket.OPEN) return false;
    if (listener.socket.writableLength <= this.options.maxBufferedBytes) return true;
    this.dropSlow(listener);
    return false;
  }

  private dropSlow(listener: WsListener): void {
    this.forget(listener);
    listener.ws.close(CLOSE_SLOW_CONSUMER, `slow consumer: over ${this.options.maxBufferedBytes} bytes unsent`);
    setTimeout(() => listener.ws.terminate(), this.options.slowCloseGraceMs).unref();
  }

  /** One sweep: a socket silent since the last ping is cut; the others get a ping (JSON-RPC `ping` text too). */
  private pings(): Job {
    return eachOf(this.listeners.values(), (listener) => {
      const { ws } = listener;
      if (!listener.alive) ws.terminate();
      else if (ws.readyState === WebSocket.OPEN) {
        listener.alive = false;
        listener.socket.write(listener.format === 'rpc' ? RPC_PING : PING_FRAME);
      }
    });
  }
}
