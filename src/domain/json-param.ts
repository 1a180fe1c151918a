import { parseJsonText } from '../wire/params/text.ts';

/**
 * ATTACH, KEYBOARD and MENU arrive as JSON strings, as nested params (`ATTACH[BLOCKS][0][MESSAGE]=…`, where PHP-style
 * lists may come as objects with numeric keys) or as JSON values (b24restdocs imbot.message.add). These helpers bring
 * all three to plain values.
 */

/** A JSON string parsed; anything else as it is. `undefined` when a string is not JSON. */
export function decodeJsonParam(raw: unknown): unknown {
  if (typeof raw !== 'string') return raw;
  try {
    return parseJsonText(raw);
  } catch {
    return undefined;
  }
}

/** A list as an array: arrays, and objects whose keys are all list indexes; `undefined` otherwise. */
export function asList(value: unknown): unknown[] | undefined {
  if (Array.isArray(value)) return value;
  if (isRecord(value)) {
    const keys = Object.keys(value);
    if (keys.length > 0 && keys.every((k) => /^\d+$/.test(k))) {
      return keys.sort((a, b) => Number(a) - Number(b)).map((k) => value[k]);
    }
  }
  return undefined;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A non-empty string (numbers count, as form values are strings anyway). */
export function isText(value: unknown): value is string | number {
  return (typeof value === 'string' && value.trim() !== '') || typeof value === 'number';
}

/** Links in attachments, keyboards and menus: absolute http(s) URLs or paths from the portal root. */
export function isLink(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  if (value.startsWith('/')) return true;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** The 30 KB limit of imbot.message.add applies to the value as it is stored: its JSON, in UTF-8 bytes. */
export const MAX_PARAM_BYTES = 30 * 1024;

export function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value), 'utf8');
}
