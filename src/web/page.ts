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
<link rel="stylesheet" href="/assets/app.css?v=${version}">
<script type="application/json" id="b24-config">${json}</script>
<script type="module" src="/assets/app.js?v=${version}"></script>
</head>
<body><div id="root"></div></body>
</html>`;
}

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
