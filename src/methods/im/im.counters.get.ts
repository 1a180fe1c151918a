import { defineMethod } from '../define.ts';

/** A map of counters, or `[]` when empty (PHP's empty array, as the page's example shows for CHAT). */
function counterMap(counters: Map<number, number>): Record<string, number> | [] {
  return counters.size ? Object.fromEntries(counters) : [];
}

/**
 * b24restdocs api-reference/chats/im-counters-get.md: the caller's unread counters, by group chat (CHAT) and by
 * private dialog (DIALOG, keyed by the other person's id), with totals. b24-local has no notifications, open lines,
 * muted chats or manual "unread" marks, so those stay empty.
 */
export default defineMethod({
  name: 'im.counters.get',
  scope: 'im',
  params: {},
  async handler({ caller }, { domain }) {
    const { chats, dialogs } = await domain.recent.counters(caller.userId);
    const sum = (counters: Map<number, number>) => [...counters.values()].reduce((a, b) => a + b, 0);
    const chat = sum(chats);
    const dialog = sum(dialogs);
    return {
      TYPE: { ALL: chat + dialog, NOTIFY: 0, CHAT: chat, LINES: 0, DIALOG: dialog, MESSENGER: chat + dialog },
      CHAT: counterMap(chats),
      CHAT_MUTED: [],
      CHAT_UNREAD: [],
      LINES: [],
      DIALOG: counterMap(dialogs),
      DIALOG_UNREAD: [],
    };
  },
});
