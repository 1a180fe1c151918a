import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ClockState } from './clock.ts';
import { loadConfig } from './config/config.ts';
import type { Fault } from './control/faults.ts';
import type { Input } from './control/input.ts';
import type { InspectorItem } from './control/inspector.ts';
import { start } from './main.ts';

// The in-process API: `import { startB24Local } from 'b24-local'` in a test file starts a whole server on a free
// port (an embedded PostgreSQL in a temporary directory, or DATABASE_URL) and drives its control API directly.

export interface StartOptions {
  /** An external PostgreSQL instead of the embedded one (default: env DATABASE_URL). */
  databaseUrl?: string;
  /** A fixtures file (YAML or JSON): the start state that `reset` returns to. */
  fixtures?: string;
  /** `standard` | `enterprise` | `off` (default `off`: tests are not rate-limited unless they ask). */
  limits?: 'standard' | 'enterprise' | 'off';
  /**
   * Take handler URLs on hosts without a dot, `http://localhost:3000/` (B24_HANDLER_DOTLESS; default false: a portal
   * refuses them with "Wrong handler URL", and so does this server; `http://127.0.0.1:3000/` passes either way).
   */
  handlerDotless?: boolean;
  /**
   * POSTs of one event before it is given up (B24_DELIVERY_MAX_ATTEMPTS; default 1: a portal does not resend an
   * event its handler failed to take; 0 = until B24_DELIVERY_MAX_AGE). More lets a test kill and restart its bot.
   */
  deliveryMaxAttempts?: number;
  /**
   * Further settings as environment variables of the server (`B24_TYPING_TTL`, `B24_DELIVERY_RETRY_MIN`, …). The
   * process's own environment is not read (DATABASE_URL aside): settings come from these options only.
   */
  env?: Record<string, string>;
}

export interface VirtualClockControl {
  freeze(): ClockState;
  advance(seconds: number): ClockState;
  resume(): ClockState;
  state(): ClockState;
  /** Milliseconds since the epoch by this server's clock. */
  now(): number;
}

export interface FaultsControl {
  /** A REST fault `{method, error, times|percent, app, webhook, bot, latencyMs}` or a delivery rule `{delivery, …}`. */
  add(rule: Input): string;
  list(): Fault[];
  remove(id: string): boolean;
  clear(): void;
}

export interface WaitOptions {
  /** The person who watches the dialog. */
  user: number;
  /** The dialog as that person sees it: the bot's id, a user id or `chatN`. */
  dialogId: string;
  for?: 'message' | 'typing';
  /** Only messages newer than this id (default: the newest when the wait begins). */
  after?: number;
  /** Milliseconds (default 10000). */
  timeout?: number;
}

export interface B24Local {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** `{url}/rest/{userId}/{token}/` of an all-scopes webhook, created for that user on first use. */
  webhookUrl(userId?: number): Promise<string>;
  /** Bearer token of the control and admin APIs. */
  adminToken: string;
  clock: VirtualClockControl;
  faults: FaultsControl;
  /** A person's message, as the web messenger sends it; answers its id. */
  say(from: number, dialogId: string, message: string): Promise<number>;
  /** The first message by someone else (or typing start) in the dialog; rejects on timeout. */
  waitFor(options: WaitOptions): Promise<{ message?: Record<string, unknown>; typing?: Record<string, unknown> }>;
  /** What the inspector saw, newest first (`{method, app, bot, dialogId, status, kind, limit}`). */
  requests(filter?: Input): InspectorItem[];
  /** Back to the start state: data, clock, faults and inspector. */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

const WEBHOOK_TITLE = 'startB24Local';

/** Starts b24-local inside this process on a free port. */
export async function startB24Local(options: StartOptions = {}): Promise<B24Local> {
  const databaseUrl = options.databaseUrl ?? process.env.DATABASE_URL;
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'b24-local-'));
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    B24_LIMITS: options.limits ?? 'off',
    ...options.env,
    ...(options.handlerDotless === undefined ? {} : { B24_HANDLER_DOTLESS: options.handlerDotless ? 'on' : 'off' }),
    ...(options.deliveryMaxAttempts === undefined
      ? {}
      : { B24_DELIVERY_MAX_ATTEMPTS: String(options.deliveryMaxAttempts) }),
    PORT: '0',
    HOST: '127.0.0.1',
    B24_DATA_DIR: dataDir,
    B24_CONTROL: 'on',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    ...(options.fixtures ? { B24_FIXTURES: options.fixtures } : {}),
  });
  let server: Awaited<ReturnType<typeof start>>;
  try {
    server = await start(config);
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  const { app, base } = server;
  const control = server.control!;
  return {
    url: base,
    adminToken: server.adminToken,
    async webhookUrl(userId = 1) {
      const { identities } = app.domain;
      // Looked up each time: a reset takes the webhooks made since the start away.
      const kept = (await identities.listWebhooks()).find((w) => w.user_id === userId && w.title === WEBHOOK_TITLE);
      const made = kept ?? (await identities.createWebhook(userId, [], undefined, WEBHOOK_TITLE));
      return `${base}/rest/${userId}/${made.token}/`;
    },
    clock: {
      freeze: () => {
        control.clock.freeze();
        return control.clock.state();
      },
      advance: (seconds) => {
        control.clock.advance(seconds * 1000);
        return control.clock.state();
      },
      resume: () => {
        control.clock.resume();
        return control.clock.state();
      },
      state: () => control.clock.state(),
      now: () => control.clock.now(),
    },
    faults: {
      add: (rule) => control.faults.add(rule).id,
      list: () => control.faults.list(),
      remove: (id) => control.faults.remove(id),
      clear: () => control.faults.clear(),
    },
    say: (from, dialogId, message) => control.person.say(from, dialogId, message),
    async waitFor({ user, dialogId, for: what = 'message', after, timeout = 10_000 }) {
      const found =
        what === 'message'
          ? await control.person.waitMessage(user, dialogId, after, timeout)
          : await control.person.waitTyping(user, dialogId, timeout);
      if (!found) throw new Error(`b24-local: no ${what} in ${dialogId} for user ${user} within ${timeout} ms`);
      return { [what]: found };
    },
    requests: (filter = {}) => control.inspector.query(filter),
    reset: () => control.reset(),
    async stop() {
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
