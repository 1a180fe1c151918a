import { atom } from '../wire/envelope.ts';

// Dates in user fields and filters: ISO 8601 (`2020-01-01T00:00:00+02:00`) or the portal's own format
// (`01.01.2020`, `01.01.2020 10:00:00`), b24restdocs api-reference/user/user-get.md. Without an offset a value
// is the server's local time, like the portal's.

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;
const PORTAL = /^(\d{2})\.(\d{2})\.(\d{4})(?: (\d{2}):(\d{2})(?::(\d{2}))?)?$/;

function localMs(y: number, mo: number, d: number, h = 0, mi = 0, s = 0): number | null {
  const date = new Date(y, mo - 1, d, h, mi, s);
  const valid =
    date.getFullYear() === y && date.getMonth() === mo - 1 && date.getDate() === d && h < 24 && mi < 60 && s < 60;
  return valid ? date.getTime() : null;
}

/** An instant for datetime filters; null when the value is not a recognisable date. */
export function parseInstant(value: string): number | null {
  const text = value.trim();
  let m = ISO_DATE.exec(text);
  if (m) return localMs(+m[1], +m[2], +m[3]);
  m = ISO_DATE_TIME.exec(text);
  if (m) {
    const local = localMs(+m[1], +m[2], +m[3], +m[4], +m[5], +(m[6] ?? 0));
    if (local === null || !m[7]) return local;
    const parsed = Date.parse(text.replace(' ', 'T'));
    return Number.isNaN(parsed) ? null : parsed;
  }
  m = PORTAL.exec(text);
  if (m) return localMs(+m[3], +m[2], +m[1], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0));
  return null;
}

/** A calendar date `YYYY-MM-DD` as written (the date part of a datetime is kept as is); null when invalid. */
export function parseDate(value: string): string | null {
  const text = value.trim();
  let m = ISO_DATE.exec(text) ?? ISO_DATE_TIME.exec(text);
  if (m) return localMs(+m[1], +m[2], +m[3]) === null ? null : `${m[1]}-${m[2]}-${m[3]}`;
  m = PORTAL.exec(text);
  if (m) return localMs(+m[3], +m[2], +m[1]) === null ? null : `${m[3]}-${m[2]}-${m[1]}`;
  return null;
}

/** `YYYY-MM-DD` → `YYYY-MM-DDT00:00:00+03:00`, the way user.get shows dates; other text is returned unchanged. */
export function dateAtMidnight(date: string): string {
  const m = ISO_DATE.exec(date);
  const ms = m ? localMs(+m[1], +m[2], +m[3]) : null;
  return ms === null ? date : atom(ms);
}

/** The local calendar date of an instant. */
export function localDate(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}
