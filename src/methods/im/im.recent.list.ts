import { coerceBool } from '../../wire/params/coerce.ts';
import { defineMethod, Page } from '../define.ts';
import { messengerLive } from './messenger-live.ts';
import { intval } from './php-int.ts';

const flag = (raw: unknown) => raw !== undefined && coerceBool(raw) === true;

/**
 * b24restdocs api-reference/chats/im-recent-list.md: the caller's dialogs with their last message, newest first.
 * OFFSET/LIMIT page (LIMIT 50 by default, 200 at most); LAST_MESSAGE_DATE continues after a previous page;
 * SKIP_DIALOG, SKIP_CHAT, UNREAD_ONLY filter. `total` is -1, as the page says the platform answers.
 */
export default defineMethod({
  name: 'im.recent.list',
  scope: 'im',
  params: {},
  async handler({ caller, raw }, services) {
    const { domain } = services;
    const asked = intval(raw.LIMIT);
    const before = typeof raw.LAST_MESSAGE_DATE === 'string' ? Date.parse(raw.LAST_MESSAGE_DATE) : Number.NaN;
    const { items, hasMore } = await domain.recent.list(
      caller.userId,
      {
        skipDialog: flag(raw.SKIP_DIALOG),
        skipChat: flag(raw.SKIP_CHAT),
        unreadOnly: flag(raw.UNREAD_ONLY),
        before: Number.isNaN(before) ? undefined : new Date(before),
        offset: Math.max(intval(raw.OFFSET), 0),
        limit: asked > 0 ? Math.min(asked, 200) : 50,
      },
      messengerLive(services).origin,
    );
    return new Page(
      {
        items,
        hasMorePages: hasMore,
        hasMore,
        copilot: { chats: null, messages: null, roles: [], recommendedRoles: [] },
        messagesAutoDeleteConfigs: [],
      },
      -1,
      undefined,
    );
  },
});
