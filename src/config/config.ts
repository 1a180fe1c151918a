import path from 'node:path';
import { isLoopbackHost } from './addresses.ts';
import { ConfigError } from './config-error.ts';
import { type DeliverySettings, deliverySettings } from './delivery-settings.ts';

export type LimitsProfile = 'standard' | 'enterprise' | 'off';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | null;
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
  logLevel: string;
  /** Event delivery to bot handler URLs: timeout, retries, when to give up. */
  delivery: DeliverySettings;
  /** How long a client may take to send its request, and stay idle, before the server closes the connection. */
  timeouts: ClientTimeouts;
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

const FLAG_TO_ENV: Record<string, string> = {
  port: 'PORT',
  host: 'HOST',
  'data-dir': 'B24_DATA_DIR',
  'database-url': 'DATABASE_URL',
  limits: 'B24_LIMITS',
  'operating-limit': 'B24_OPERATING_LIMIT',
  webhook: 'B24_WEBHOOK',
  app: 'B24_APP',
  tls: 'B24_TLS',
  'public-url': 'B24_PUBLIC_URL',
  dev: 'B24_DEV',
  'typing-ttl': 'B24_TYPING_TTL',
  'body-limit': 'B24_BODY_LIMIT',
  'file-limit': 'B24_FILE_LIMIT',
  'log-level': 'LOG_LEVEL',
  'delivery-timeout': 'B24_DELIVERY_TIMEOUT',
  'delivery-retry-min': 'B24_DELIVERY_RETRY_MIN',
  'delivery-retry-max': 'B24_DELIVERY_RETRY_MAX',
  'delivery-max-attempts': 'B24_DELIVERY_MAX_ATTEMPTS',
  'delivery-max-age': 'B24_DELIVERY_MAX_AGE',
  'headers-timeout': 'B24_HEADERS_TIMEOUT',
  'request-timeout': 'B24_REQUEST_TIMEOUT',
  'idle-timeout': 'B24_IDLE_TIMEOUT',
};

/** Flags (`--port 9000`, `--tls=on`) override environment variables of the same meaning. */
export function loadConfig(argv: string[] = [], env: NodeJS.ProcessEnv = process.env): Config {
  const values: Record<string, string | undefined> = { ...env };
  for (let i = 0; i < argv.length; i++) {
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(argv[i]);
    if (!match || !(match[1] in FLAG_TO_ENV)) continue;
    const value = match[2] ?? (argv[i + 1] && !argv[i + 1].startsWith('--') ? argv[++i] : 'on');
    values[FLAG_TO_ENV[match[1]]] = value;
  }
  const limits = (values.B24_LIMITS ?? 'standard') as LimitsProfile;
  if (!['standard', 'enterprise', 'off'].includes(limits)) {
    throw new ConfigError(`B24_LIMITS must be standard, enterprise or off (got ${limits})`);
  }
  const host = values.HOST ?? '127.0.0.1';
  const port = Number(values.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new ConfigError(`PORT must be a port number (got ${values.PORT})`);
  return {
    port,
    host,
    dataDir: path.resolve(values.B24_DATA_DIR ?? './data'),
    databaseUrl: values.DATABASE_URL || null,
    limits,
    operatingLimitSec: limits === 'off' ? 0 : Number(values.B24_OPERATING_LIMIT ?? 480),
    webhook: values.B24_WEBHOOK || null,
    app: values.B24_APP || null,
    tls: isOn(values.B24_TLS),
    publicUrl: values.B24_PUBLIC_URL || null,
    // Reachable from other machines, one-click sign-in would hand anyone the administrator: off unless asked for.
    dev: values.B24_DEV === undefined ? isLoopbackHost(host) : isOn(values.B24_DEV),
    typingTtlSec: Number(values.B24_TYPING_TTL ?? 15),
    bodyLimit: Number(values.B24_BODY_LIMIT ?? 8 * 1024 * 1024),
    fileLimit: Number(values.B24_FILE_LIMIT ?? 100 * 1024 * 1024),
    logLevel: values.LOG_LEVEL ?? 'warn',
    delivery: deliverySettings(values),
    timeouts: clientTimeouts(values),
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

function isOn(value: string | undefined): boolean {
  return value !== undefined && ['1', 'on', 'true', 'yes', 'y'].includes(value.toLowerCase());
}
