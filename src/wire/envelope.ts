import type { ApiError } from './errors.ts';

// The answer envelope (b24restdocs settings/how-to-call-rest-api/index.md, api-reference/data-types.md#time):
// `{result, next?, total?, time}` on success, `{error, error_description}` with the HTTP status on failure.

/** When a call started and finished (wall clock, ms) and how long its handler ran. */
export interface TimeSpan {
  startMs: number;
  finishMs: number;
  processingMs: number;
}

export interface TimeBlock {
  start: number;
  finish: number;
  duration: number;
  processing: number;
  date_start: string;
  date_finish: string;
  operating_reset_at?: number;
  operating?: number;
}

// Every answer formats its start and finish, nearly always within the same second: the last text is reused.
let atomSecond = Number.NaN;
let atomText = '';

/** ISO 8601 with the server's offset and second precision: `2024-08-29T10:34:19+03:00`. */
export function atom(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== atomSecond) {
    atomText = formatAtom(ms);
    atomSecond = second;
  }
  return atomText;
}

function formatAtom(ms: number): string {
  const date = new Date(ms);
  const offsetMin = -date.getTimezoneOffset();
  const local = new Date(ms + offsetMin * 60000);
  const sign = offsetMin >= 0 ? '+' : '-';
  const abs = Math.abs(offsetMin);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${local.toISOString().slice(0, 19)}${sign}${hh}:${mm}`;
}

const round6 = (n: number) => Math.round(n * 1e6) / 1e6;

/** The six-field block (batch `result_time`), and the full one with the operating fields. */
export function timeBlock(span: TimeSpan, operating?: { operating: number; resetAt: number }): TimeBlock {
  const block: TimeBlock = {
    start: round6(span.startMs / 1000),
    finish: round6(span.finishMs / 1000),
    duration: round6((span.finishMs - span.startMs) / 1000),
    processing: round6(span.processingMs / 1000),
    date_start: atom(span.startMs),
    date_finish: atom(span.finishMs),
  };
  if (operating) {
    block.operating_reset_at = operating.resetAt;
    block.operating = operating.operating;
  }
  return block;
}

/**
 * The success envelope as sent, written field by field in the platform's key order (result, next, total, time) with
 * no object built for it: `result` any JSON, absent keys left out as JSON.stringify leaves out undefined ones. The
 * dates need no escaping (`atom` writes digits, `-`, `T`, `:` and `+`). Every call answers through here (P1).
 */
export function successBody(
  result: unknown,
  span: TimeSpan,
  operating?: { operating: number; resetAt: number },
  total?: number,
  next?: number,
): string {
  let body = result === undefined ? '{' : `{"result":${JSON.stringify(result)},`;
  if (next !== undefined) body += `"next":${num(next)},`;
  if (total !== undefined) body += `"total":${num(total)},`;
  body +=
    `"time":{"start":${seconds(span.startMs)},"finish":${seconds(span.finishMs)},` +
    `"duration":${seconds(span.finishMs - span.startMs)},"processing":${seconds(span.processingMs)},` +
    `"date_start":"${atom(span.startMs)}","date_finish":"${atom(span.finishMs)}"`;
  if (operating) body += `,"operating_reset_at":${num(operating.resetAt)},"operating":${num(operating.operating)}`;
  return `${body}}}`;
}

/**
 * `num(round6(ms / 1000))` from whole microseconds, without V8's shortest double-to-string (most of what the
 * envelope cost, P1): below 2^32 s a double's neighbours lie closer than 0.5 µs, so the one six-decimal number
 * it rounds to is also its shortest form.
 */
function seconds(ms: number): string {
  const us = Math.round((ms / 1000) * 1e6);
  if (!(us >= 0 && us < 4e15)) return num(round6(ms / 1000));
  const whole = Math.floor(us / 1e6);
  let fraction = us - whole * 1e6;
  if (fraction === 0) return `${whole}`;
  let places = 6;
  while (fraction % 10 === 0) {
    fraction /= 10;
    places--;
  }
  return `${whole}.${`${fraction}`.padStart(places, '0')}`;
}

/** A number as JSON writes it (`null` for NaN and the infinities). */
function num(n: number): string {
  return Number.isFinite(n) ? String(n) : 'null';
}

export function errorBody(error: Pick<ApiError, 'code' | 'description' | 'extra'>): string {
  // REST controllers answer numeric codes (`"error": 100`); every other code is a string.
  const code = /^\d+$/.test(error.code) ? Number(error.code) : error.code;
  return JSON.stringify({ error: code, error_description: error.description, ...error.extra });
}
