import path from 'node:path';
import { isLoopbackHost } from './addresses.ts';
import { ConfigError } from './config-error.ts';
import { type DeliverySettings, deliverySettings } from './delivery-settings.ts';
import { CONFIG_FLAGS } from './flags.ts';
import { type HandlerPolicy, handlerPolicy } from './handler-allow.ts';

export type LimitsProfile = 'standard' | 'enterprise' | 'off';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | null;
  /** Redis shared by several nodes (hub, limits, typing, cache invalidation); null = one node, all in memory. */
  redisUrl: string | null;
  limits: LimitsProfile;
  /** Operating-time limit per method and app/webhook, seconds over 10 one-minute baskets; 0 disables. */
  operatingLimitSec: number;
  /** Ensure this inbound webhook at start: `<userId>:<token>[:<scope,scope>]`. */
  webhook: string | null;
  /** Ensure this OAuth application at start: `<client_id>:<client_secret>[:scopes]`. */
  app: string | null;
  tls: boolean;
  /** Public base URL used in answers (client_endpoint, pull URLs); derived from host/port when empty. */
  publicUrl: string | null;
  /** Development mode: one-click sign-in in the web UI; by default on only when HOST is loopback. */
  dev: boolean;
  /** Typing indicator lifetime for v1 sendTyping / im.dialog.writing, seconds. */
  typingTtlSec: number;
  /** Largest accepted request body, bytes. */
  bodyLimit: number;
  /** Largest file of imbot.v2.File.upload / im.v2.File.upload, bytes (the pages: 100 MB). */
  fileLimit: number;
  /** Largest answer of one `batch`, characters of JSON (its commands' answers added up). */
  batchAnswerLimit: number;
  logLevel: string;
  /** `auto`: pretty lines on a terminal, JSON lines otherwise. */
  logFormat: 'auto' | 'pretty' | 'json';
  /** Event delivery to bot handler URLs: timeout, retries, when to give up. */
  delivery: DeliverySettings;
  /** Where event handlers may point (B24_HANDLER_ALLOW; link-local and metadata addresses refused by default). */
  handlerPolicy: HandlerPolicy;
  /** How long a client may take to send its request, and stay idle, before the server closes the connection. */
  timeouts: ClientTimeouts;
  /** The control API under `/_b24local/` (`B24_CONTROL=off` for self-hosted deployments). */
  control: boolean;
  /** A fixtures file (YAML or JSON) loaded at start and restored by `reset`. */
  fixtures: string | null;
  /** A new embedded cluster is a copy of the per-user initdb cache (B24_INITDB_CACHE=off: initdb every time). */
  initdbCache: boolean;
}

/** Milliseconds; a slow or silent client holds a socket at most this long. */
export interface ClientTimeouts {
  /** Request line and headers. */
  headersMs: number;
  /** The whole request, headers and body. */
  requestMs: number;
  /** A connection without traffic: between keep-alive requests, or a stalled one (above the long-poll hold of 40 s). */
  idleMs: number;
}

export { CONFIG_FLAGS, type ConfigFlag } from './flags.ts';

/** The settings from environment variables; the CLI puts its flags (`--port 9000`) over them (CONFIG_FLAGS). */
export function loadConfig(values: Record<string, string | undefined> = process.env): Config {
  const read = reader(values);
  const limits = read.choice('B24_LIMITS', ['standard', 'enterprise', 'off'], 'standard') as LimitsProfile;
  const publicUrl = values.B24_PUBLIC_URL || null;
  if (publicUrl && !/^https?:\/\/[^/]/.test(publicUrl))
    throw new ConfigError(
      `B24_PUBLIC_URL=${publicUrl} is not valid: an http:// or https:// URL (e.g. https://b24.example.com)`,
    );
  const host = values.HOST ?? '127.0.0.1';
  return {
    port: read.number('PORT', 8080, {
      integer: true,
      min: 0,
      max: 65535,
      allowed: 'a port number 0-65535 (0 takes any free port)',
    }),
    host,
    dataDir: path.resolve(values.B24_DATA_DIR ?? './data'),
    databaseUrl: values.DATABASE_URL || null,
    redisUrl: values.REDIS_URL || null,
    limits,
    operatingLimitSec:
      limits === 'off'
        ? 0
        : read.number('B24_OPERATING_LIMIT', 480, { min: 0, allowed: 'seconds, 0 or more (0 turns it off)' }),
    webhook: values.B24_WEBHOOK || null,
    app: values.B24_APP || null,
    tls: read.onOff('B24_TLS', false),
    publicUrl,
    // Reachable from other machines, one-click sign-in would hand anyone the administrator: off unless asked for.
    dev: read.onOff('B24_DEV', isLoopbackHost(host)),
    typingTtlSec: read.number('B24_TYPING_TTL', 15, { min: 0.1, allowed: 'seconds, 0.1 or more' }),
    bodyLimit: read.number('B24_BODY_LIMIT', 8 * 1024 * 1024, {
      integer: true,
      min: 1,
      allowed: 'bytes, a whole number above 0',
    }),
    fileLimit: read.number('B24_FILE_LIMIT', 100 * 1024 * 1024, {
      integer: true,
      min: 1,
      allowed: 'bytes, a whole number above 0',
    }),
    batchAnswerLimit: read.number('B24_BATCH_ANSWER_LIMIT', 16 * 1024 * 1024, {
      integer: true,
      min: 1,
      allowed: 'bytes, a whole number above 0',
    }),
    logLevel: read.choice('LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info'),
    logFormat: read.choice('B24_LOG_FORMAT', ['auto', 'pretty', 'json'], 'auto') as Config['logFormat'],
    delivery: deliverySettings(values),
    handlerPolicy: handlerPolicy(values.B24_HANDLER_ALLOW, read.onOff('B24_HANDLER_DOTLESS', false)),
    timeouts: clientTimeouts(values),
    control: read.onOff('B24_CONTROL', true),
    fixtures: values.B24_FIXTURES ? path.resolve(values.B24_FIXTURES) : null,
    initdbCache: read.onOff('B24_INITDB_CACHE', true),
  };
}

/** `B24_HEADERS_TIMEOUT` (s, 10), `B24_REQUEST_TIMEOUT` (s, 120), `B24_IDLE_TIMEOUT` (s, 60); fractions allowed. */
function clientTimeouts(values: Record<string, string | undefined>): ClientTimeouts {
  const ms = (name: string, fallback: number) => {
    const value = Number(values[name] ?? fallback);
    if (!Number.isFinite(value) || value <= 0)
      throw new ConfigError(`${name} must be a positive number of seconds (got ${values[name]})`);
    return Math.round(value * 1000);
  };
  const headersMs = ms('B24_HEADERS_TIMEOUT', 10);
  const requestMs = ms('B24_REQUEST_TIMEOUT', 120);
  // Node refuses a headers timeout longer than the request timeout.
  if (headersMs > requestMs) throw new ConfigError('B24_HEADERS_TIMEOUT must not exceed B24_REQUEST_TIMEOUT');
  return { headersMs, requestMs, idleMs: ms('B24_IDLE_TIMEOUT', 60) };
}

/** What start-up should warn about: a configuration that is allowed but exposes more than its owner may think. */
export function configWarnings(config: Config): string[] {
  if (isLoopbackHost(config.host)) return [];
  return config.dev
    ? [
        `development mode is on while listening on ${config.host}: anyone who reaches this server can sign in as anyone (B24_DEV=off to turn it off)`,
      ]
    : [
        `development mode is off because HOST=${config.host} is not loopback: sign in with login and password (B24_DEV=on to turn it on)`,
      ];
}

const ON = ['1', 'on', 'true', 'yes', 'y'];
const OFF = ['0', 'off', 'false', 'no', 'n'];

/** Reads one setting; a value that cannot work names the variable, the value and what is allowed. */
function reader(values: Record<string, string | undefined>) {
  const invalid = (name: string, allowed: string) => {
    const flag = Object.entries(CONFIG_FLAGS).find(([, setting]) => setting.env === name)?.[0];
    return new ConfigError(`${name}=${values[name]} is not valid: ${allowed} (set by ${name} or --${flag})`);
  };
  return {
    number(name: string, fallback: number, rule: { integer?: boolean; min: number; max?: number; allowed: string }) {
      const text = values[name];
      if (text === undefined || text === '') return fallback;
      const value = Number(text);
      const fits = Number.isFinite(value) && value >= rule.min && value <= (rule.max ?? Number.MAX_SAFE_INTEGER);
      if (!fits || (rule.integer && !Number.isInteger(value))) throw invalid(name, rule.allowed);
      return value;
    },
    choice(name: string, options: string[], fallback: string): string {
      const value = values[name] || fallback;
      if (!options.includes(value)) throw invalid(name, `one of ${options.join(', ')}`);
      return value;
    },
    onOff(name: string, fallback: boolean): boolean {
      const value = values[name]?.toLowerCase();
      if (value === undefined || value === '') return fallback;
      if (ON.includes(value)) return true;
      if (OFF.includes(value)) return false;
      throw invalid(name, `on or off (also ${[...ON, ...OFF].filter((v) => v !== 'on' && v !== 'off').join(', ')})`);
    },
  };
}
