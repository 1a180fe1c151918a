// The settings' flags apart from the rest of the configuration: the CLI builds its usage from them without loading
// what checks the values (ipaddr.js and the rest), so `--help` and `--version` stay quick.

/** Every setting: its command-line flag, its environment variable and what it means (`b24-local serve --help`). */
export const CONFIG_FLAGS = {
  port: { env: 'PORT', help: 'HTTP port, 0 = any free port (8080)' },
  host: { env: 'HOST', help: 'interface to listen on (127.0.0.1)' },
  'data-dir': { env: 'B24_DATA_DIR', help: 'embedded store location (./data)' },
  'database-url': { env: 'DATABASE_URL', help: 'use this PostgreSQL instead of the embedded one' },
  'redis-url': { env: 'REDIS_URL', help: 'share real time, limits, typing and caches with other nodes' },
  limits: { env: 'B24_LIMITS', help: 'rate limits: standard, enterprise or off (standard)' },
  'operating-limit': { env: 'B24_OPERATING_LIMIT', help: 'operating-time limit, s per 10 min, 0 = off (480)' },
  webhook: { env: 'B24_WEBHOOK', help: 'ensure an inbound webhook: <userId>:<token>[:<scope,scope>]' },
  app: { env: 'B24_APP', help: 'ensure an OAuth application: <client_id>:<client_secret>[:scopes]' },
  tls: { env: 'B24_TLS', help: 'on: HTTPS with a local CA under <data>/tls/' },
  'public-url': { env: 'B24_PUBLIC_URL', help: 'base URL to advertise (behind a proxy)' },
  dev: { env: 'B24_DEV', help: 'development mode: one-click user picker (on for a loopback HOST)' },
  'typing-ttl': { env: 'B24_TYPING_TTL', help: 'seconds a typing indicator lasts (15)' },
  'body-limit': { env: 'B24_BODY_LIMIT', help: 'largest request body, bytes (8388608)' },
  'file-limit': { env: 'B24_FILE_LIMIT', help: 'largest uploaded file, bytes (104857600)' },
  'batch-answer-limit': {
    env: 'B24_BATCH_ANSWER_LIMIT',
    help: 'largest answer of one batch, JSON characters (16777216)',
  },
  'log-level': { env: 'LOG_LEVEL', help: 'fatal … trace, silent (info: a line per call)' },
  'log-format': {
    env: 'B24_LOG_FORMAT',
    help: 'pretty (one line per call), json, or auto: pretty on a terminal (auto)',
  },
  'delivery-timeout': { env: 'B24_DELIVERY_TIMEOUT', help: "seconds a bot's handler may take (10)" },
  'delivery-retry-min': { env: 'B24_DELIVERY_RETRY_MIN', help: 'seconds before the first retry (1)' },
  'delivery-retry-max': { env: 'B24_DELIVERY_RETRY_MAX', help: 'longest pause between retries, s (60)' },
  'delivery-max-attempts': {
    env: 'B24_DELIVERY_MAX_ATTEMPTS',
    help: 'attempts before failed, 0 = no limit (1: a portal does not resend)',
  },
  'delivery-max-age': { env: 'B24_DELIVERY_MAX_AGE', help: 'seconds after which a delivery is failed (86400)' },
  'delivery-retention': {
    env: 'B24_DELIVERY_RETENTION',
    help: 'seconds delivered/failed deliveries are kept (604800)',
  },
  'handler-allow': { env: 'B24_HANDLER_ALLOW', help: 'where event handlers may point: names, *.suffix, CIDR' },
  'handler-dotless': {
    env: 'B24_HANDLER_DOTLESS',
    help: 'on: take handler hosts without a dot (localhost), which a portal refuses (off)',
  },
  'delivery-concurrency': {
    env: 'B24_DELIVERY_CONCURRENCY',
    help: 'event POSTs in flight at once per handler URL, each of another dialog (16)',
  },
  'headers-timeout': { env: 'B24_HEADERS_TIMEOUT', help: 'seconds a client may take to send its headers (10)' },
  'request-timeout': { env: 'B24_REQUEST_TIMEOUT', help: 'seconds a client may take to send a request (120)' },
  'idle-timeout': { env: 'B24_IDLE_TIMEOUT', help: 'seconds a connection may stay silent (60)' },
  control: { env: 'B24_CONTROL', help: 'the control API under /_b24local/; off for self-hosted deployments (on)' },
  fixtures: { env: 'B24_FIXTURES', help: 'start state from a YAML or JSON file; reset returns to it' },
  'initdb-cache': {
    env: 'B24_INITDB_CACHE',
    help: 'a new embedded store copies a cached initdb (~/.cache/b24-local) instead of running it (on)',
  },
} as const;

export type ConfigFlag = keyof typeof CONFIG_FLAGS;
