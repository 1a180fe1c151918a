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

  /** Resolves a dialog id (raw, or already read) for `viewerId`. Reads only; nothing is created. */
  async resolve(viewerId: number, id: DialogRef | string | number | undefined): Promise<DialogOutcome> {
    const ref = typeof id === 'object' ? id : readDialogId(id);
    if (!ref) return { status: 'malformed' };
    if (ref.kind === 'user') {
      if (ref.userId === viewerId) return { status: 'self' };
      const peer = await this.users.get(ref.userId);
      if (!peer?.active) return { status: 'no-user' };
      return found({ kind: 'private', peer }, viewerId, [viewerId, peer.id]);
    }
    const chat = await this.chats.get(ref.chatId);
    if (!chat) return { status: 'no-chat' };
    const participants = await this.chats.members(chat.id);
    if (!participants.includes(viewerId)) return { status: 'not-member', chat };
    if (chat.type !== 'P') return found({ kind: 'chat', chat }, viewerId, participants);
    // A private chat is always of two people (deleting a user deletes their private chats).
    const peer = await this.users.get(participants.find((id) => id !== viewerId) ?? viewerId);
    if (!peer || peer.id === viewerId) return { status: 'no-user' };
    return found({ kind: 'private', peer, chat }, viewerId, participants);
  }
}

function found(
  target: { kind: 'chat'; chat: ChatRow } | { kind: 'private'; peer: UserRow; chat?: ChatRow },
  viewerId: number,
  participants: number[],
): DialogOutcome {
  const place: TypingPlace =
    target.kind === 'chat'
      ? { kind: 'chat', chatId: target.chat.id }
      : { kind: 'private', userA: viewerId, userB: target.peer.id };
  return { status: 'found', dialog: { ...target, participants, place } };
}
