import type { Caller } from '../../domain/caller.ts';
import type { ChatRow } from '../../domain/chats.ts';
import type { DialogRef } from '../../domain/dialog-id.ts';
import type { Live } from '../../domain/messenger.ts';
import type { UserRow } from '../../domain/user-row.ts';
import { ApiError } from '../../wire/errors.ts';
import type { Services } from '../define.ts';
import { messengerLive } from './messenger-live.ts';

/** The dialog an im.dialog.* call names and what the caller may see of it. */
export interface DialogAccess {
  ref: DialogRef;
  live: Live;
  viewer: UserRow;
  /** Undefined when the caller may not read the dialog. */
  chat: ChatRow | undefined;
}

/**
 * The dialog (read by dialogRef, before anything else) and the caller's read access: a chat they are in, an
 * open chat (as a guest, like imbot.dialog.get), or the private dialog with another active person, opened on first
 * use. im.dialog.read answers `false` for an unreadable dialog, so this does not throw for one; requireDialogAccess
 * does.
 */
export async function dialogAccess(ref: DialogRef, caller: Caller, services: Services): Promise<DialogAccess> {
  const { domain } = services;
  const live = messengerLive(services);
  const viewer = await domain.users.require(caller.userId);
  const outcome = await domain.dialogs.resolve(viewer.id, ref);
  let chat: ChatRow | undefined;
  if (outcome.status === 'found') chat = await domain.messenger.chatOf(viewer, outcome.dialog);
  else if (outcome.status === 'not-member' && outcome.chat.type === 'O') chat = outcome.chat;
  return { ref, live, viewer, chat };
}

/** dialogAccess, where an unreadable dialog is ACCESS_ERROR (im.dialog.get, im.dialog.messages.get). */
export async function requireDialogAccess(
  ref: DialogRef,
  caller: Caller,
  services: Services,
): Promise<DialogAccess & { chat: ChatRow }> {
  const access = await dialogAccess(ref, caller, services);
  const { chat } = access;
  if (!chat) throw new ApiError('ACCESS_ERROR', 'You do not have access to the specified dialog');
  return { ...access, chat };
}
