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

/**
 * ATTACH, KEYBOARD and MENU are accepted while their stored JSON is under 60,000 characters: the im module's
 * IsAllowSize / isAllowSize (`mb_strlen($json) < 60000`, CIMMessageParamAttach and Bot\Keyboard, newest copies in
 * the index) and the chats pages' "limited to 60,000 characters". The v1 pages' "30 KB" is not what a portal does.
 */
export const MAX_PARAM_CHARS = 60_000;

/** Whether a value's JSON is too long to store: MAX_PARAM_CHARS characters (code points) or more. */
export function oversized(value: unknown): boolean {
  const json = JSON.stringify(value);
  // At most 4 UTF-16 units per code point: only a long text needs counting.
  return json.length >= MAX_PARAM_CHARS && [...json].length >= MAX_PARAM_CHARS;
}
