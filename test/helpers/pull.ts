import { WebSocket } from 'ws';
import type { TestServer } from './harness.ts';

/** An OAuth application and an access token of it for the user: what `pull.application.config.get` needs. */
export async function appToken(
  server: TestServer,
  userId: number,
  clientId = 'local.pulltest',
): Promise<{ token: string; clientId: string }> {
  const { identities } = server.app.domain;
  const app =
    (await identities.appByClientId(clientId)) ?? (await identities.createApp({ clientId, title: 'Pull test' }));
  const grant = await identities.issueTokens(app, userId);
  return { token: grant.access_token, clientId };
}

/** `pull.application.config.get` as the SDK calls it (CACHE=N), with an OAuth token. */
export async function pullConfig(server: TestServer, token: string, params: Record<string, unknown> = {}) {
  const res = await server.call(
    'pull.application.config.get',
    { CACHE: 'N', ...params, auth: token },
    `${server.url}/rest/`,
  );
  if (res.status !== 200) throw new Error(`config.get failed: ${JSON.stringify(res.body)}`);
  return res.body.result;
}

/** The v5 connection URL exactly as b24jssdk `getConnectionPath` builds it for a personal-mode server. */
export function v5Url(config: any, mid?: string): string {
  const params = new URLSearchParams({ token: config.jwt, jsonRpc: 'true' });
  if (mid) params.set('mid', mid);
  params.set('revision', '19');
  return `${config.server.websocket}?${params}`;
}

/** A socket that queues what it receives, so tests can wait for the next frame matching a condition. */
export class TestSocket {
  readonly frames: string[] = [];
  private waiters: (() => void)[] = [];
  closed?: { code: number; reason: string };

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.frames.push(data.toString());
      for (const wake of this.waiters.splice(0)) wake();
    });
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  static async open(url: string): Promise<TestSocket> {
    const ws = new WebSocket(url);
    const socket = new TestSocket(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return socket;
  }

  /** The first queued frame (removed) that satisfies `match`, waiting up to `timeoutMs`. */
  async next(match: (frame: string) => boolean = () => true, timeoutMs = 2000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.frames.findIndex(match);
      if (index !== -1) return this.frames.splice(index, 1)[0];
      const left = deadline - Date.now();
      if (left <= 0 || this.closed) throw new Error(`no matching frame (closed: ${JSON.stringify(this.closed)})`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** The next JSON-RPC `incoming.message` params (`{mid, body, sender}`), skipping pings. */
  async message(timeoutMs = 2000): Promise<any> {
    const text = await this.next((f) => f !== 'ping', timeoutMs);
    const parsed = JSON.parse(text);
    const rpc = Array.isArray(parsed) ? parsed[0] : parsed;
    if (rpc.method !== 'incoming.message') throw new Error(`not a message: ${text}`);
    return rpc.params;
  }

  /** Resolves when the server has closed the socket. */
  async closedWith(timeoutMs = 2000): Promise<{ code: number; reason: string }> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      if (Date.now() > deadline) throw new Error('socket still open');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return this.closed;
  }

  close(): void {
    this.ws.close();
  }
}

/** The texts of the `message` commands in a JSON-RPC frame (a resumed backlog comes as one batch); none in a ping. */
export function messageTexts(frame: string): string[] {
  if (frame === 'ping') return [];
  const parsed = JSON.parse(frame);
  return (Array.isArray(parsed) ? parsed : [parsed])
    .filter((rpc) => rpc.params?.body?.command === 'message')
    .map((rpc) => String(rpc.params.body.params.message.text));
}
