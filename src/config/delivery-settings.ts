import { ConfigError } from './config-error.ts';

/** How events are delivered to handler URLs: timeouts, retries and when to give up. Durations in milliseconds. */
export interface DeliverySettings {
  /** How long a handler may take to answer before the attempt counts as failed. */
  timeoutMs: number;
  /** Delay before the first retry; it doubles with each attempt up to `retryMaxMs`. */
  retryMinMs: number;
  retryMaxMs: number;
  /** Attempts before a delivery is marked failed; 0 = no limit (only `maxAgeMs`). */
  maxAttempts: number;
  /** A delivery still failing this long after its event is marked failed. */
  maxAgeMs: number;
  /** How often an idle dispatcher looks for due retries and expired leases (new events wake it at once). */
  pollMs: number;
  /** POSTs one dispatcher has in flight at once to one handler URL (each of a different dialog). */
  concurrency: number;
  /** Delivered and failed deliveries are kept this long after they settled, then removed. */
  retentionMs: number;
}

/**
 * `B24_DELIVERY_TIMEOUT` (s, 10), `B24_DELIVERY_RETRY_MIN` (s, 1), `B24_DELIVERY_RETRY_MAX` (s, 60),
 * `B24_DELIVERY_MAX_ATTEMPTS` (1), `B24_DELIVERY_MAX_AGE` (s, 86400), `B24_DELIVERY_CONCURRENCY` (per handler URL,
 * 16), `B24_DELIVERY_RETENTION` (s, 604800). Seconds may be fractional. One attempt by default, as a portal makes
 * (b24restdocs api-reference/events/index.md, "No retries": the queue server logs the failure and does not resend);
 * more, or 0 for no limit, is b24-local's retrying (docs/decisions.md, "Events").
 */
export function deliverySettings(values: Record<string, string | undefined>): DeliverySettings {
  const seconds = (name: string, fallback: number) => {
    const value = Number(values[name] ?? fallback);
    if (!Number.isFinite(value) || value <= 0)
      throw new ConfigError(`${name} must be a positive number of seconds (got ${values[name]})`);
    return Math.round(value * 1000);
  };
  const maxAttempts = Number(values.B24_DELIVERY_MAX_ATTEMPTS ?? 1);
  if (!Number.isInteger(maxAttempts) || maxAttempts < 0) {
    throw new ConfigError(
      `B24_DELIVERY_MAX_ATTEMPTS must be a whole number, 0 for no limit (got ${values.B24_DELIVERY_MAX_ATTEMPTS})`,
    );
  }
  const concurrency = Number(values.B24_DELIVERY_CONCURRENCY ?? 16);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 1000) {
    throw new ConfigError(
      `B24_DELIVERY_CONCURRENCY must be a whole number from 1 to 1000 (got ${values.B24_DELIVERY_CONCURRENCY})`,
    );
  }
  const retryMinMs = seconds('B24_DELIVERY_RETRY_MIN', 1);
  return {
    timeoutMs: seconds('B24_DELIVERY_TIMEOUT', 10),
    retryMinMs,
    retryMaxMs: Math.max(retryMinMs, seconds('B24_DELIVERY_RETRY_MAX', 60)),
    maxAttempts,
    maxAgeMs: seconds('B24_DELIVERY_MAX_AGE', 86400),
    pollMs: 500,
    concurrency,
    retentionMs: seconds('B24_DELIVERY_RETENTION', 7 * 86400),
  };
}
