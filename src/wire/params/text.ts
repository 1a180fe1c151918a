// Text that PostgreSQL cannot hold never gets past the wire (docs/decisions.md, "Wire protocol"):
// - U+0000 is removed from every key and string, as the platform strips NUL bytes from what a client sends
//   (`str_replace("\0", "", …)` on the request URI); PostgreSQL `text` and `jsonb` refuse it.
// - A lone UTF-16 surrogate can only arrive as a JSON `\uD800` escape; PHP's json_decode refuses such a text
//   (JSON_ERROR_UTF16, "Single unpaired UTF-16 surrogate"), so the platform cannot read it either.

const NUL = /\0/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// Escapes in a JSON text that decode to NUL or to a surrogate; a text without them needs no walk after parsing.
const SUSPECT_ESCAPE = /\\u(?:0000|[dD][89a-fA-F])/;

/** The string without NUL characters. */
export function withoutNul(text: string): string {
  return text.includes('\0') ? text.replace(NUL, '') : text;
}

/** The JSON decoder's own refusal of a text with a lone surrogate, a SyntaxError like any other bad JSON. */
export class UnpairedSurrogate extends SyntaxError {
  constructor() {
    super('Single unpaired UTF-16 surrogate in unicode escape');
  }
}

/** JSON.parse with the rules above: NUL stripped from keys and strings, a lone surrogate a SyntaxError. */
export function parseJsonText(raw: string): unknown {
  const value = JSON.parse(raw);
  return SUSPECT_ESCAPE.test(raw) ? cleanValue(value) : value;
}

function cleanString(text: string): string {
  if (LONE_SURROGATE.test(text)) throw new UnpairedSurrogate();
  return withoutNul(text);
}

// PHP's json_decode depth: the platform reads nothing deeper, and the walk stays off the stack limit.
const MAX_DEPTH = 512;

function cleanValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return cleanString(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) throw new SyntaxError('Maximum stack depth exceeded');
  if (Array.isArray(value)) return value.map((entry) => cleanValue(entry, depth + 1));
  // fromEntries defines own keys, so a `__proto__` key stays data, as JSON.parse made it.
  return Object.fromEntries(
    Object.entries(value).map(([key, entry]) => [cleanString(key), cleanValue(entry, depth + 1)]),
  );
}
