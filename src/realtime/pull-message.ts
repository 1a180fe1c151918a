import { atom } from '../wire/envelope.ts';
import type { PullCommand } from './hub.ts';

/** `api.revision_web` the official clients check (b24jssdk pullClient REVISION = 19) and `revision_mobile`. */
export const REVISION_WEB = 19;
export const REVISION_MOBILE = 3;

/** How a connection wants its messages: JSON-RPC (server v5), `format=json` arrays, or the NGINX-framed text. */
export type Format = 'rpc' | 'json' | 'framed';

// b24jssdk types/pull.ts SenderType: 2 = Backend (server events), as opposed to client-published messages.
const SENDER = { type: 2 };
const CHANNEL_MARK = '\u0000channel\u0000';
const CHANNEL_MARK_JSON = JSON.stringify(CHANNEL_MARK).slice(1, -1);

/** A message as one subscriber gets it: the message and the channel it came on. */
export type Delivery = [PullMessage, string];

/**
 * One command as published: its ids and time, and its serialisations, each made once however many subscribers get
 * it. The per-channel classic envelope is cut around the channel id once and joined per subscriber.
 */
export class PullMessage {
  private rpcFrame?: Buffer;
  private rpcWsFrame?: Buffer;
  private classicParts?: [string, string, string];

  constructor(
    /** Position in this server's message sequence (the classic `id` and `tag`). */
    readonly seq: number,
    readonly mid: string,
    readonly command: PullCommand,
    readonly timeMs: number,
    private readonly serverName: string,
  ) {}

  /** What the SDK hands to subscribers: `{module_id, command, params, extra}`; the messenger's own extra wins. */
  body(agoSec = 0) {
    const { module_id, command, params, extra } = this.command;
    return {
      module_id,
      command,
      params,
      extra: {
        server_time: atom(this.timeMs),
        server_time_unix: this.timeMs / 1000,
        server_time_ago: agoSec,
        server_name: this.serverName,
        revision_web: REVISION_WEB,
        revision_mobile: REVISION_MOBILE,
        ...extra,
      },
    };
  }

  /** JSON-RPC `incoming.message` as b24jssdk `handleRpcIncomingMessage` reads it: `{mid, body, sender}`. */
  rpc(agoSec = 0): string {
    return JSON.stringify({
      jsonrpc: '2.0',
      method: 'incoming.message',
      params: { mid: this.mid, body: this.body(agoSec), sender: SENDER },
    });
  }

  /** The live JSON-RPC frame, the same bytes for every subscriber. */
  rpcBytes(): Buffer {
    this.rpcFrame ??= Buffer.from(this.rpc());
    return this.rpcFrame;
  }

  /** The live JSON-RPC message as one whole WebSocket text frame: framed once, written as is to every socket. */
  rpcWebSocketFrame(): Buffer {
    this.rpcWsFrame ??= textFrame(this.rpcBytes());
    return this.rpcWsFrame;
  }

  /**
   * The documented message object (b24restdocs custom-push-and-pull-client.md) for one channel. `extra` is also
   * inside `text`, where the official clients read it (they broadcast `event.text`).
   */
  envelope(channel: string, agoSec = 0): string {
    if (agoSec !== 0) return this.classicJson(channel, agoSec);
    if (!this.classicParts) {
      const json = this.classicJson(CHANNEL_MARK, 0);
      // The channel appears once before `text` and once as the very last value; user content sits in between.
      const first = json.indexOf(CHANNEL_MARK_JSON);
      const last = json.lastIndexOf(CHANNEL_MARK_JSON);
      this.classicParts = [
        json.slice(0, first),
        json.slice(first + CHANNEL_MARK_JSON.length, last),
        json.slice(last + CHANNEL_MARK_JSON.length),
      ];
    }
    const [head, middle, tail] = this.classicParts;
    return head + channel + middle + channel + tail;
  }

  private classicJson(channel: string, agoSec: number): string {
    const body = this.body(agoSec);
    return JSON.stringify({
      id: this.seq,
      mid: this.mid,
      channel,
      tag: String(this.seq),
      time: new Date(this.timeMs).toUTCString(),
      text: body,
      extra: {
        server_time: body.extra.server_time,
        server_time_unix: body.extra.server_time_unix,
        server_time_ago: agoSec,
        server_name: this.serverName,
        revision: REVISION_WEB,
        revisionMobile: REVISION_MOBILE,
        channel,
      },
    });
  }
}

/** Several messages in one frame or long-poll answer, in the connection's format (JSON-RPC as a batch). */
export function frame(deliveries: readonly Delivery[], format: Format, nowMs: number): string {
  const ago = (m: PullMessage) => Math.max(0, Math.round((nowMs - m.timeMs) / 1000));
  if (format === 'rpc') return `[${deliveries.map(([m]) => m.rpc(ago(m))).join(',')}]`;
  const envelopes = deliveries.map(([m, channel]) => m.envelope(channel, ago(m)));
  if (format === 'json') return `[${envelopes.join(',')}]`;
  return envelopes.map((e) => `#!NGINXNMS!#${e}#!NGINXNME!#`).join('');
}

/** One live message for one channel. */
export function single(message: PullMessage, format: Format, channel: string): Buffer | string {
  if (format === 'rpc') return message.rpcBytes();
  const envelope = message.envelope(channel);
  return format === 'json' ? `[${envelope}]` : `#!NGINXNMS!#${envelope}#!NGINXNME!#`;
}

/**
 * A final, unmasked, uncompressed WebSocket text frame (RFC 6455 §5.2, server to client): header and payload in one
 * buffer, so one write puts it on a socket.
 */
export function textFrame(payload: Buffer): Buffer {
  const n = payload.length;
  const head = n < 126 ? 2 : n < 65_536 ? 4 : 10;
  const out = Buffer.allocUnsafe(head + n);
  out[0] = 0x81; // FIN + opcode 1 (text)
  if (head === 2) out[1] = n;
  else if (head === 4) {
    out[1] = 126;
    out.writeUInt16BE(n, 2);
  } else {
    out[1] = 127;
    out.writeBigUInt64BE(BigInt(n), 2);
  }
  payload.copy(out, head);
  return out;
}
