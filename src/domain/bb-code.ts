/**
 * The BB-code of message texts that the server itself reads (b24restdocs api-reference/chats/messages/formatting.md).
 * Rendering to HTML is the client's job; b24-local stores and returns the text as written.
 */

/** `[BR]` becomes a line break and the text is trimmed, as the im module does before storing a message. */
export function normalizeText(text: string): string {
  return text.replace(/\[br\]/gi, '\n').trim();
}

/**
 * The longest message text: longer ones are cut and marked (b24restdocs chat-bots-v2/entities.md#message, "Maximum
 * length — 20,000 characters. Longer messages are truncated with the suffix ` (...)`"; messages/index.md#limits).
 * The v1 pages are silent; the im module is the same, so every message is cut alike.
 */
export const MAX_TEXT = 20_000;

export function limitText(text: string): string {
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)} (...)` : text;
}

/** User ids mentioned with `[USER=id]name[/USER]`, in order of appearance, without repeats. */
export function mentionedIds(text: string): number[] {
  const ids = [...text.matchAll(/\[USER=(\d{1,9})\](.*?)\[\/USER\]/gis)].map((m) => Number(m[1]));
  return [...new Set(ids)];
}

/**
 * The text a mentioned bot receives in a group chat: every mention (and a comma right after it) removed
 * (on-imbot-message-add.md: MESSAGE `", how to set up…"` for MESSAGE_ORIGINAL `"[USER=567]NewBot[/USER] , how to…"`).
 */
export function stripMentions(text: string): string {
  return text.replace(/\[USER=\d+\].+?\[\/USER\],?/gis, '').trim();
}

/**
 * Bot commands in a message: every line that starts with `/`; the word after it is the command, the rest of the
 * line its parameters (`/echo test` → `echo`, `test`).
 */
export function commandLines(text: string): { command: string; params: string }[] {
  const found: { command: string; params: string }[] = [];
  for (const line of text.split('\n')) {
    const match = /^\/([^ \n]+) ?(.*)$/.exec(line);
    if (match) found.push({ command: match[1], params: match[2] });
  }
  return found;
}
