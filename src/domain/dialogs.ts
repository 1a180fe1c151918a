import { type MaybePromise, then } from '../wire/maybe-promise.ts';
import type { ChatRow, Chats } from './chats.ts';
import { type DialogRef, readDialogId } from './dialog-id.ts';
import type { TypingPlace } from './typing.ts';
import type { UserRow } from './user-row.ts';
import type { Users } from './users.ts';

/**
 * A dialog as one participant sees it: a group chat, or the private dialog with `peer`. A private dialog named by
 * the person has no `chat` until it is opened (Messenger.chatOf opens it); one named by its chat id has it.
 */
export type Dialog = ({ kind: 'chat'; chat: ChatRow } | { kind: 'private'; peer: UserRow; chat?: ChatRow }) & {
  /** Everyone in the dialog, the viewer included. */
  participants: number[];
  place: TypingPlace;
};

/**
 * What a dialog id names for a viewer. Methods map each failure to their page's error code.
 * - `malformed`: not a dialog id (`N` or `chatN`);
 * - `no-chat`: `chatN` with no such chat;
 * - `not-member`: a chat the viewer is not in (open chats are readable as a guest, so it comes with the chat);
 * - `no-user`: no such active person;
 * - `self`: the viewer's dialog with themselves.
 */
export type DialogOutcome =
  | { status: 'found'; dialog: Dialog }
  | { status: 'malformed' }
  | { status: 'no-chat' }
  | { status: 'not-member'; chat: ChatRow }
  | { status: 'no-user' }
  | { status: 'self' };

/** The one resolver of dialog ids (every im, imbot and v2 method that names a dialog). */
export class Dialogs {
  constructor(
    private readonly chats: Chats,
    private readonly users: Users,
  ) {}

  /**
   * Resolves a dialog id (raw, or already read) for `viewerId`. Reads only; nothing is created. At once when what
   * it reads is cached (sendTyping resolves its dialog on every call).
   */
  resolve(viewerId: number, id: DialogRef | string | number | undefined): MaybePromise<DialogOutcome> {
    const ref = typeof id === 'object' ? id : readDialogId(id);
    if (!ref) return { status: 'malformed' };
    if (ref.kind === 'user') {
      if (ref.userId === viewerId) return { status: 'self' };
      return then(this.users.get(ref.userId), (peer): DialogOutcome => {
        if (!peer?.active) return { status: 'no-user' };
        return found({ kind: 'private', peer }, viewerId, [viewerId, peer.id]);
      });
    }
    return then(this.chats.get(ref.chatId), (chat) => {
      if (!chat) return { status: 'no-chat' };
      return then(this.chats.members(chat.id), (participants) => this.inChat(viewerId, chat, participants));
    });
  }

  private inChat(viewerId: number, chat: ChatRow, participants: number[]): MaybePromise<DialogOutcome> {
    if (!participants.includes(viewerId)) return { status: 'not-member', chat };
    if (chat.type !== 'P') return found({ kind: 'chat', chat }, viewerId, participants);
    // A private chat is always of two people (deleting a user deletes their private chats).
    return then(this.users.get(participants.find((id) => id !== viewerId) ?? viewerId), (peer): DialogOutcome => {
      if (!peer || peer.id === viewerId) return { status: 'no-user' };
      return found({ kind: 'private', peer, chat }, viewerId, participants);
    });
  }
}

function found(
  target: { kind: 'chat'; chat: ChatRow } | { kind: 'private'; peer: UserRow; chat?: ChatRow },
  viewerId: number,
  participants: number[],
): DialogOutcome {
  // Built field by field: a spread of `target` was a tenth of a cached sendTyping's own CPU.
  const dialog: Dialog =
    target.kind === 'chat'
      ? { kind: 'chat', chat: target.chat, participants, place: { kind: 'chat', chatId: target.chat.id } }
      : {
          kind: 'private',
          peer: target.peer,
          chat: target.chat,
          participants,
          place: { kind: 'private', userA: viewerId, userB: target.peer.id },
        };
  return { status: 'found', dialog };
}
