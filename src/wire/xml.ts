// The `.xml` answer format (b24restdocs settings/how-to-call-rest-api/general-principles.md "Request Result":
// `<response><result>…</result></response>`; on-premise/custom-methods.md shows an error as
// `<?xml version="1.0" ?><response><error>…</error><error_description>…</error_description></response>`,
// `Content-Type: text/xml; charset=utf-8`). Where the pages show no example (lists, booleans, null), the choice is
// in docs/decisions.md: list entries are `<item>`, booleans `true`/`false`, null an empty element.

export const XML_TYPE = 'text/xml; charset=utf-8';

const escapeText = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A key as an element name: numeric keys (PHP list entries) and names XML cannot hold become `item`. */
function tag(key: string): string {
  return /^[A-Za-z_][\w.-]*$/.test(key) && !/^xml/i.test(key) ? key : 'item';
}

function element(key: string, value: unknown): string {
  const name = tag(key);
  if (value === null || value === undefined) return `<${name}/>`;
  if (Array.isArray(value)) return `<${name}>${value.map((v) => element('item', v)).join('')}</${name}>`;
  if (typeof value === 'object') {
    const inner = Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => element(k, v))
      .join('');
    return `<${name}>${inner}</${name}>`;
  }
  return `<${name}>${escapeText(String(value))}</${name}>`;
}

/** The JSON envelope (already serialised) as the XML document a `.xml` call gets. */
export function xmlEnvelope(json: string): string {
  const body = JSON.parse(json) as Record<string, unknown>;
  return `<?xml version="1.0" encoding="utf-8"?>\n${element('response', body)}`;
}
