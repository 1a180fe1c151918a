import type { BotRow } from '../../domain/bots.ts';
import { imMessageView } from '../../domain/im-message-view.ts';
import { imUserView } from '../../domain/im-user-view.ts';
import { messageFile } from '../../domain/v2-entities.ts';
import { fail } from '../../wire/errors.ts';
import { defineMethod } from '../define.ts';
import { requireDialogAccess } from './dialog-access.ts';
import { dialogRef } from './im-dialog.ts';
import { intval } from './php-int.ts';

/** An id param that must be digits when given (FIRST_ID_STRING / LAST_ID_STRING). */
function anchor(raw: unknown, code: 'FIRST_ID_STRING' | 'LAST_ID_STRING'): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(String(raw))) throw fail(code);
  return intval(raw);
}

/**
 * b24restdocs api-reference/chats/messages/im-dialog-messages-get.md: FIRST_ID pages forward (ascending), LAST_ID
 * or nothing pages back (newest first); FIRST_ID wins when both are given. LIMIT defaults to 20, at most 50; a
 * value that is no positive number counts as absent. `users` are the authors of the page. `files` are the page's
 * files in the page's File shape; their links stay empty, since a download link here is one-time (the messenger asks
 * im.v2.File.download for one when a file is opened).
 */
export default defineMethod({
  name: 'im.dialog.messages.get',
  scope: 'im',
  params: {},
  async handler({ caller, raw }, services) {
    const { domain } = services;
    const { live, viewer, chat } = await requireDialogAccess(dialogRef(raw, 'chat-first'), caller, services);
    const firstId = anchor(raw.FIRST_ID, 'FIRST_ID_STRING');
    const lastId = firstId === undefined ? anchor(raw.LAST_ID, 'LAST_ID_STRING') : undefined;
    const asked = intval(raw.LIMIT);
    const limit = asked > 0 ? Math.min(asked, 50) : 20;
    const { messages, lastReadId } = await domain.messenger.history(viewer.id, chat, { firstId, lastId }, limit);
    const authorIds = [...new Set(messages.map((m) => m.author_id).filter((id) => id > 0))];
    const people = await domain.users.getMany(authorIds);
    const bots = new Map<number, BotRow>();
    for (const id of authorIds) {
      const bot = people.get(id)?.is_bot ? await domain.bots.get(id) : undefined;
      if (bot) bots.set(id, bot);
    }
    return {
      chat_id: chat.id,
      messages: messages.map((m) => imMessageView(m, lastReadId)),
      users: authorIds.flatMap((id) => {
        const user = people.get(id);
        return user ? [imUserView(user, bots.get(id), live.origin)] : [];
      }),
      files: (await domain.v2Files.ofMessages(messages.map((m) => m.id))).map((file) =>
        messageFile(file, people.get(file.author_id)),
      ),
    };
  },
});
