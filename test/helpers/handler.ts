import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import qs from 'qs';
import type { DeliverySettings } from '../../src/config/delivery-settings.ts';
import type { TestServer } from './harness.ts';

/** Delivery settings for tests: short timeout and backoff, a quick poll (tests move a ManualClock). */
export const FAST: DeliverySettings = {
  timeoutMs: 2000,
  retryMinMs: 50,
  retryMaxMs: 200,
  maxAttempts: 5,
  maxAgeMs: 3_600_000,
  pollMs: 20,
  concurrency: 16,
  retentionMs: 7 * 86_400_000,
};

/** One POST as a bot's handler received it: headers, raw body, and the body parsed the PHP way. */
export interface Received {
  headers: IncomingHttpHeaders;
  raw: string;
  form: any;
  eventId: string;
}

/**
 * A bot's event handler on a local port: records every request, answers `status` (200 by default) and `body` after
 * `delayMs`, and can go down (connection refused) and come back on the same port.
 */
export class HandlerStub {
  readonly received: Received[] = [];
  status = 200;
  /** The status of the answer to a request (`status` unless replaced). */
  statusOf: (form: any) => number = () => this.status;
  /** The answer's body. */
  body = 'ok';
  delayMs: (form: any) => number = () => 0;
  /** While set, requests that arrive wait for it before their delay starts (those already waiting go on). */
  gate: Promise<void> | undefined;
  /** Requests whose body has arrived, answered or not. */
  arrived = 0;
  private server: Server | null = null;
  private port = 0;
  private waiters: (() => void)[] = [];

  get url(): string {
    return `http://127.0.0.1:${this.port}/handler`;
  }

  async start(): Promise<this> {
    const server = createServer((req, res) => {
      let raw = '';
      req.on('data', (chunk) => {
        raw += chunk;
      });
      req.on('end', () => {
        // PHP's parse_str keeps numeric keys as keys (data[BOT][567]), so no arrays here.
        const form = qs.parse(raw, { depth: 10, parseArrays: false });
        this.arrived++;
        const answer = () =>
          setTimeout(() => {
            this.received.push({ headers: req.headers, raw, form, eventId: String(req.headers['x-b24-event-id']) });
            res.writeHead(this.statusOf(form)).end(this.body);
            for (const wake of this.waiters.splice(0)) wake();
          }, this.delayMs(form));
        if (this.gate) this.gate.then(answer);
        else answer();
      });
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
    return this;
  }

  /** Stops listening: the next POSTs get ECONNREFUSED. */
  async down(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }

  /** Resolves once `count` requests arrived (fails after `timeoutMs`, a safety net for a busy machine). */
  async waitFor(count: number, timeoutMs = 60_000): Promise<Received[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.received.length < count) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`handler got ${this.received.length} of ${count} requests`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.received;
  }
}

type Falsy = null | undefined | false | 0 | '';

/** Polls `check` until it returns a truthy value, and returns that. */
export async function eventually<T>(check: () => Promise<T | Falsy> | T | Falsy, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as T;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Registers a v1 bot over the webhook as application `custom{clientId}` with `handler` for all its events. */
export async function botWithHandler(
  server: TestServer,
  clientId: string,
  code: string,
  handler: string,
): Promise<number> {
  const res = await server.call('imbot.register', {
    CODE: code,
    EVENT_HANDLER: handler,
    PROPERTIES: { NAME: code },
    CLIENT_ID: clientId,
  });
  if (typeof res.body.result !== 'number') throw new Error(`imbot.register: ${JSON.stringify(res.body)}`);
  return res.body.result;
}

/** A local OAuth application and an access token of user 1 for it. */
export async function oauthToken(server: TestServer, clientId: string, scopes: string[] = []): Promise<string> {
  const app = await server.app.domain.identities.createApp({ clientId, scopes });
  return (await server.app.domain.identities.issueTokens(app, 1)).access_token;
}
