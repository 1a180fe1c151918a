/** The server's settings for this page (src/web/page.ts writes them as inert JSON). */
export interface PageConfig {
  clientId: string;
  dev: boolean;
  typingTtlSec: number;
}

export function readConfig(): PageConfig {
  const element = document.getElementById('b24-config');
  return JSON.parse(element?.textContent ?? '{}') as PageConfig;
}
