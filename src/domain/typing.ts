import type { Clock } from '../clock.ts';
import type { Hub } from '../realtime/hub.ts';
import { chatDialogId } from './dialog-id.ts';

/** Where someone types: a group chat, or the private dialog of two users. */
export type TypingPlace = { kind: 'chat'; chatId: number } | { kind: 'private'; userA: number; userB: number };

export interface TypingState {
  place: TypingPlace;
  userId: number;
  userName: string;
  expiresAt: number;
  /** v2 InputAction status code and text, when one was given. */
  statusCode?: string;
  statusText?: string;
}

export interface StartTyping {
  place: TypingPlace;
  userId: number;
  userName: string;
  /** How long it lasts unless renewed or ended; the server's B24_TYPING_TTL when not given. */
  ttlMs?: number;
  /** Everyone who sees the dialog; the typer is removed from it here. */
  participants: number[];
  statusCode?: string;
  statusText?: string;
}

function placeKey(place: TypingPlace): string {
  if (place.kind === 'chat') return `c${place.chatId}`;
  return place.userA < place.userB ? `p${place.userA}:${place.userB}` : `p${place.userB}:${place.userA}`;
}

/**
 * Server-side typing state per (dialog, typer) with an expiry, and the messenger's `startWriting` command to every
 * participant except the typer (Bitrix24 `CIMMessenger::StartWriting`; ../shared/spec/typing.md). Expiry and a
 * message from the typer end it with our `stopWriting` (docs/decisions.md).
 */
export class Typing {
  private readonly states = new Map<string, Map<number, TypingState & { recipients: number[]; cancel: () => void }>>();

  constructor(
    private readonly clock: Clock,
    private readonly hub: Hub,
    private readonly defaultTtlMs: number,
  ) {}

  start(input: StartTyping): TypingState {
    const key = placeKey(input.place);
    const recipients = input.participants.filter((id) => id !== input.userId);
    const expiresAt = this.clock.now() + (input.ttlMs ?? this.defaultTtlMs);
    const state = {
      place: input.place,
      userId: input.userId,
      userName: input.userName,
      expiresAt,
      statusCode: input.statusCode,
      statusText: input.statusText,
      recipients,
      // The clock fires this when its time reaches the expiry, virtual time included (a test's advance).
      cancel: this.clock.at(expiresAt, () => this.sweep()),
    };
    const inPlace = this.states.get(key) ?? new Map();
    this.states.set(key, inPlace);
    inPlace.get(input.userId)?.cancel();
    inPlace.set(input.userId, state);
    this.emit('startWriting', state, recipients);
    return state;
  }

  /** Ends the typer's state (their message arrived); tells recipients only if it was on. */
  stop(place: TypingPlace, userId: number): void {
    const inPlace = this.states.get(placeKey(place));
    const state = inPlace?.get(userId);
    if (!state) return;
    state.cancel();
    inPlace!.delete(userId);
    if (inPlace!.size === 0) this.states.delete(placeKey(place));
    this.emit('stopWriting', state, state.recipients);
  }

  /** Forgets every state without announcing it (the store was reset). */
  clear(): void {
    for (const inPlace of this.states.values()) for (const state of inPlace.values()) state.cancel();
    this.states.clear();
  }

  /** Who is typing in a place right now. */
  list(place: TypingPlace): TypingState[] {
    const now = this.clock.now();
    const inPlace = this.states.get(placeKey(place));
    if (!inPlace) return [];
    return [...inPlace.values()].filter((s) => s.expiresAt > now).map(({ recipients: _r, cancel: _c, ...s }) => s);
  }

  /** Drops expired states and announces their end; run by the clock at each state's expiry. */
  sweep(): number {
    const now = this.clock.now();
    let expired = 0;
    for (const [key, inPlace] of this.states) {
      for (const [userId, state] of inPlace) {
        if (state.expiresAt > now) continue;
        inPlace.delete(userId);
        expired++;
        this.emit('stopWriting', state, state.recipients);
      }
      if (inPlace.size === 0) this.states.delete(key);
    }
    return expired;
  }

  private emit(command: 'startWriting' | 'stopWriting', state: TypingState, recipients: number[]): void {
    if (recipients.length === 0) return;
    const base = { userId: state.userId, userName: state.userName };
    const status = state.statusCode ? { statusMessageCode: state.statusCode, statusMessage: state.statusText } : {};
    if (state.place.kind === 'chat') {
      this.hub.publish(
        { users: recipients },
        { module_id: 'im', command, params: { dialogId: chatDialogId(state.place.chatId), ...base, ...status } },
      );
      return;
    }
    // In a private dialog the recipient's dialog id is the typer's user id.
    this.hub.publish(
      { users: recipients },
      { module_id: 'im', command, params: { dialogId: String(state.userId), ...base, ...status } },
    );
  }
}
