import { applicationIn, type Caller } from '../../domain/caller.ts';
import { chatReader } from '../../domain/chat-access.ts';
import { chatDialogId, parseDialogId } from '../../domain/dialog-id.ts';
import { dialogView } from '../../domain/dialog-view.ts';
import { ApiError } from '../../wire/errors.ts';
import type { Params } from '../../wire/params/nest.ts';
import type { Services } from '../define.ts';
import { messengerLive } from '../im/messenger-live.ts';

const NO_DIALOG = 'You do not have access to the specified dialog';

/**
 * A dialog as the calling user sees it (CIMRestService::dialogGet, and chatGet given a DIALOG_ID: the same steps).
 * `N` is the caller's private dialog with user N, opened on first use by the messenger (a bot on the other side
 * gets ONIMBOTJOINCHAT); `chatN` a chat they may read, or one a bot of the calling application is in. Malformed →
 * DIALOG_ID_EMPTY; an unknown chat is the 403 of one without access (Dialog::hasAccess fails first).
 */
export async function botDialogView(services: Services, caller: Caller, raw: Params): Promise<object> {
  const { domain } = services;
  const ref = parseDialogId(raw.DIALOG_ID);
  const { origin } = messengerLive(services);
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
  const chat = await domain.chats.get(ref.chatId);
  if (!chat) throw new ApiError('ACCESS_ERROR', NO_DIALOG);
  const app = applicationIn(caller, raw);
  const botIds = app === undefined ? [] : (await domain.bots.ofApp(app)).map((b) => b.id);
  const viewerId = await chatReader(domain.chats, chat, caller.userId, botIds);
  if (viewerId === undefined) throw new ApiError('ACCESS_ERROR', NO_DIALOG);
  return dialogView(domain.chats, domain.users, { chat, viewerId, dialogId: chatDialogId(chat.id), origin });
}
