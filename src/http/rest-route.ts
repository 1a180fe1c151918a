/**
 * Splits a REST path into credentials and method name. Accepted shapes (b24restdocs general-principles.md):
 * `/rest/{userId}/{token}/{method}[.json]`, `/rest/{method}[.json]`, a trailing slash, and the empty segment
 * that `@bitrix24/b24jssdk` sends for OAuth (`/rest//{method}`).
 */
export interface RestRoute {
  method: string;
  webhook?: { userId: string; token: string };
  format: 'json' | 'xml';
}

export function parseRestPath(pathname: string): RestRoute | null {
  if (!pathname.startsWith('/rest/')) return null;
  const segments = pathname
    .slice('/rest/'.length)
    .split('/')
    .filter((s) => s !== '')
    .map((s) => safeDecode(s));
  if (segments.some((s) => s === null)) return null;
  let format: 'json' | 'xml' = 'json';
  const strip = (name: string) => {
    const match = /^(.*)\.(json|xml)$/i.exec(name);
    if (!match) return name;
    format = match[2].toLowerCase() as 'json' | 'xml';
    return match[1];
  };
  if (segments.length === 1) return { method: strip(segments[0]!), format };
  if (segments.length === 3) {
    return { method: strip(segments[2]!), webhook: { userId: segments[0]!, token: segments[1]! }, format };
  }
  return null;
}

function safeDecode(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}
