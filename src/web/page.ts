/** What the browser app needs to know before its first REST call; read from the page, not fetched. */
export interface PageConfig {
  /** The built-in application the messenger's tokens belong to. */
  clientId: string;
  /** Development mode: the sign-in page offers a one-click user picker. */
  dev: boolean;
  /** The server's typing lifetime: a typing line the server never stops disappears after this long. */
  typingTtlSec: number;
}

/**
 * The one HTML page of the messenger and the admin pages. The config travels as inert JSON (`<` escaped so no
 * value can close the script element); the CSP allows only our own script, so nothing injected could run.
 */
export function shellPage(title: string, config: PageConfig, version: string): string {
  const json = JSON.stringify(config).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title>${title}</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/assets/app.css?v=${version}">
<script type="application/json" id="b24-config">${json}</script>
<script type="module" src="/assets/app.js?v=${version}"></script>
</head>
<body><div id="root"></div></body>
</html>`;
}

/** The tab icon: the sign-in page's "b24" tile. */
export const FAVICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">
<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#2fc6f6"/><stop offset="1" stop-color="#0a6aa6"/></linearGradient></defs>
<rect width="64" height="64" rx="14" fill="url(#g)"/>
<text x="32" y="41" font-family="system-ui,Arial,sans-serif" font-size="24" font-weight="700" fill="#fff" text-anchor="middle">b24</text>
</svg>`;

export const SHELL_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  'img-src * data:',
  "connect-src 'self' ws: wss:",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');
