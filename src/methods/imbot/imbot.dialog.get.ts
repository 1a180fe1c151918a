import { applicationIn } from '../../domain/caller.ts';
import { chatReader } from '../../domain/chat-access.ts';
import { chatDialogId, parseDialogId } from '../../domain/dialog-id.ts';
import { dialogView } from '../../domain/dialog-view.ts';
import { ApiError } from '../../wire/errors.ts';
import { p } from '../../wire/params/coerce.ts';
import { defineMethod } from '../define.ts';
import { messengerLive } from '../im/messenger-live.ts';

const NO_DIALOG = 'You do not have access to the specified dialog';

/**
 * b24restdocs api-reference/chat-bots/outdated/chats/imbot-dialog-get.md (fields: outdated/chats/fields.md): the
 * chat as the calling user sees it. `N` is the caller's private dialog with user N, opened on first use by the
 * messenger (a bot on the other side gets ONIMBOTJOINCHAT); `chatN` a chat they may read. Missing or malformed
 * DIALOG_ID → DIALOG_ID_EMPTY.
 */
export default defineMethod({
  name: 'imbot.dialog.get',
  scope: 'imbot',
  params: {
    DIALOG_ID: p.string().optional().invalid('DIALOG_ID_EMPTY'),
    CLIENT_ID: p.string().optional(),
  },
  async handler({ params, caller, raw }, services) {
    const { domain } = services;
    const ref = parseDialogId(params.DIALOG_ID);
    const live = messengerLive(services);
    const { origin } = live;
    if (ref.kind === 'user') {
      const outcome = await domain.dialogs.resolve(caller.userId, ref);
      if (outcome.status !== 'found') throw new ApiError('ACCESS_ERROR', NO_DIALOG);
      const viewer = await domain.users.require(caller.userId);
      const chat = await domain.messenger.chatOf(viewer, outcome.dialog);
      return dialogView(domain.chats, domain.users, {
        chat,
        viewerId: caller.userId,
        dialogId: String(ref.userId),
        origin,
      });
    }
    // Dialog::hasAccess fails for a chat that does not exist: the same 403 as one without access (dialogGet).
    const chat = await domain.chats.get(ref.chatId);
    if (!chat) throw new ApiError('ACCESS_ERROR', NO_DIALOG);
    const app = applicationIn(caller, raw);
    const botIds = app === undefined ? [] : (await domain.bots.ofApp(app)).map((b) => b.id);
    const viewerId = await chatReader(domain.chats, chat, caller.userId, botIds);
    if (viewerId === undefined) throw new ApiError('ACCESS_ERROR', NO_DIALOG);
    return dialogView(domain.chats, domain.users, { chat, viewerId, dialogId: chatDialogId(chat.id), origin });
  },
});
