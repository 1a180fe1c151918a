import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net, { type LookupFunction } from 'node:net';
import { type HandlerPolicy, refusedAddress, refusedHost } from '../config/handler-allow.ts';

/** A handler whose address the policy refuses: an attempt that failed before any connection. */
export class RefusedHandler extends Error {
  readonly code = 'EHANDLERREFUSED';
}

/**
 * Resolves like `dns.lookup` and refuses the connection when any address the name resolves to is refused: the
 * check runs on the very addresses the socket connects to, so a name that resolved elsewhere at registration (DNS
 * rebinding) cannot reach a metadata service now.
 */
function guardedLookup(policy: HandlerPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 4);
      for (const { address } of addresses) {
        const reason = refusedAddress(policy, address, hostname.toLowerCase());
        if (reason) return callback(new RefusedHandler(`${hostname}: ${reason}`), '', 4);
      }
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };
}

/**
 * POSTs events to handlers over kept-alive connections (a reused socket was checked when it connected). No
 * redirects are followed (the test-handler page warns against them).
 */
export class HandlerClient {
  private readonly agents = {
    'http:': new http.Agent({ keepAlive: true }),
    'https:': new https.Agent({ keepAlive: true }),
  };
  private readonly lookup: LookupFunction;

  constructor(private readonly policy: HandlerPolicy) {
    this.lookup = guardedLookup(policy);
  }

  /**
   * Answers the handler's status and the first `keepChars` characters of its answer (the rest is read and
   * dropped). Throws on a refused address, a network error or the timeout (a `TimeoutError`). A kept-alive socket
   * the handler closed just as it was reused (its idle timeout, ahead of the agent's: a busy process notices late)
   * fails before any answer; the POST is sent again on another socket, as Node's docs advise for `reusedSocket`.
   * The handler may have read the first one: a duplicate, which at-least-once allows, rather than a lost event.
   */
  async post(
    url: string,
    headers: Record<string, string>,
    body: string,
    timeoutMs: number,
    keepChars = 0,
  ): Promise<{ status: number; answer?: string }> {
    const target = new URL(url);
    const literal = refusedHost(this.policy, target.hostname); // an IP literal is connected to without a lookup
    if (literal) throw new RefusedHandler(`${target.hostname}: ${literal}`);
    const signal = AbortSignal.timeout(timeoutMs);
    for (;;) {
      const sent = this.send(target, headers, body, signal, keepChars);
      try {
        return await sent.answer;
      } catch (error) {
        if (!sent.reused() || signal.aborted || (error as { code?: string }).code !== 'ECONNRESET') throw error;
      }
    }
  }

  private send(
    target: URL,
    headers: Record<string, string>,
    body: string,
    signal: AbortSignal,
    keepChars: number,
  ): { answer: Promise<{ status: number; answer?: string }>; reused: () => boolean } {
    const client = target.protocol === 'https:' ? https : http;
    let req: http.ClientRequest;
    let answered = false;
    const answer = new Promise<{ status: number; answer?: string }>((resolve, reject) => {
      const fail = (error: Error) => reject(signal.aborted ? signal.reason : error);
      req = client.request(
        target,
        {
          method: 'POST',
          headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
          agent: target.protocol === 'https:' ? this.agents['https:'] : this.agents['http:'],
          lookup: this.lookup,
          signal,
        },
        (res) => {
          answered = true;
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            if (text.length < keepChars) text += chunk.slice(0, keepChars - text.length);
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, ...(keepChars ? { answer: text } : {}) }));
          res.on('error', fail);
        },
      );
      req.on('error', fail);
      req.end(body);
    });
    return { answer, reused: () => !answered && req.reusedSocket };
  }

  /**
   * Whether anyone listens at the handler: a TCP connection to its host and port, closed at once, so no request
   * reaches the bot. Throws like `post` (refused address, DNS failure, ECONNREFUSED, a `TimeoutError`).
   */
  probe(url: string, timeoutMs: number): Promise<void> {
    const target = new URL(url);
    const literal = refusedHost(this.policy, target.hostname);
    if (literal) return Promise.reject(new RefusedHandler(`${target.hostname}: ${literal}`));
    const port = Number(target.port) || (target.protocol === 'https:' ? 443 : 80);
    const host = target.hostname.replace(/^\[(.*)\]$/, '$1');
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host, port, lookup: this.lookup, timeout: timeoutMs });
      socket.once('connect', () => {
        socket.destroy();
        resolve();
      });
      socket.once('timeout', () => {
        socket.destroy();
        reject(new DOMException(`no connection within ${timeoutMs} ms`, 'TimeoutError'));
      });
      socket.once('error', reject);
    });
  }

  close(): void {
    this.agents['http:'].destroy();
    this.agents['https:'].destroy();
  }
}
