import { createRequire } from 'node:module';
import pino, { type Logger } from 'pino';
import type PinoPretty from 'pino-pretty';
import type { Config } from './config/config.ts';
import type { AnsweredCall } from './http/pipeline.ts';

// The server's log: one line per REST call and what goes wrong, readable in a terminal (pino-pretty) and JSON
// lines elsewhere. Webhook codes, tokens and passwords never reach it.

/** Keys whose values are secrets wherever they appear in a logged object. */
const SECRET_KEYS = ['password', 'token', 'access_token', 'refresh_token', 'client_secret', 'application_token'];
const REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  ...SECRET_KEYS.flatMap((key) => [key, `*.${key}`]),
  '*.auth',
];

/** A URL as it may be logged: the webhook code of `/rest/{user}/{code}/…` and `auth=` values masked. */
export function redactUrl(url: string): string {
  return url
    .replace(/^(\/+rest\/+\d+\/+)[^/?#]+/i, '$1***')
    .replace(/([?&](?:auth|access_token|refresh_token|token|code|client_secret)=)[^&#]*/gi, '$1***');
}

export function createLogger(config: Pick<Config, 'logLevel' | 'logFormat'>): Logger {
  const options: pino.LoggerOptions = {
    level: config.logLevel,
    redact: { paths: REDACT, censor: '***' },
    serializers: {
      req: (req: { method?: string; url?: string }) => ({ method: req.method, url: redactUrl(req.url ?? '') }),
    },
  };
  const terminal = config.logFormat === 'pretty' || (config.logFormat === 'auto' && process.stdout.isTTY === true);
  if (!terminal) return pino(options);
  // In-process and synchronous: a line is on the terminal before the next call's, and no worker thread starts.
  // Required here, not imported: off a terminal (servers, tests, the CLI) its modules are never loaded.
  const pretty = createRequire(import.meta.url)('pino-pretty') as typeof PinoPretty;
  const stream = pretty({
    sync: true,
    colorize: true,
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'pid,hostname,call',
    singleLine: true,
  });
  return pino(options, stream);
}

/** `12:01:03 INFO: imbot.message.add 200 12 ms app=echo bot=2`: the call line, its fields under `call` for JSON. */
export function logCall(log: Logger, call: AnsweredCall): void {
  const ms = Math.round(call.durationMs);
  const who = call.caller?.app
    ? `app=${call.caller.app.clientId}`
    : call.caller
      ? `webhook=${call.caller.webhookId} user=${call.caller.userId}`
      : '';
  const bot = call.params.BOT_ID ?? call.params.botId;
  const botText = typeof bot === 'string' || typeof bot === 'number' ? ` bot=${bot}` : '';
  const code = call.status === 200 ? undefined : errorCode(call.body);
  const error = code ? ` ${code}` : '';
  const fields = { method: call.method, status: call.status, ms, error: code, app: call.caller?.app?.clientId };
  const line = `${call.method} ${call.status}${error} ${ms} ms${who ? ` ${who}` : ''}${botText}`;
  if (call.status >= 500) log.error({ call: fields }, line);
  else log.info({ call: fields }, line);
}

/** The `error` of a refused call's envelope (`{"error":"…",…}`), read without parsing the whole body. */
function errorCode(body: string): string | undefined {
  return /^\{"error":"([^"]{1,100})"/.exec(body)?.[1];
}
