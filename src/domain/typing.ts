import type { Clock } from '../clock.ts';
import type { Hub } from '../realtime/hub.ts';
import type { StoredTyping, TypingStates } from '../realtime/typing-states.ts';
import { type MaybePromise, then } from '../wire/maybe-promise.ts';
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

function fromStored({ where, place: _key, recipients: _r, ...state }: Stored): TypingState {
  return { ...state, place: where };
}

function placeKey(place: TypingPlace): string {
  if (place.kind === 'chat') return `c${place.chatId}`;
  return place.userA < place.userB ? `p${place.userA}:${place.userB}` : `p${place.userB}:${place.userA}`;
}

/** A state as `TypingStates` keep it: the place's key as `place`, the place itself as `where`. */
type Stored = StoredTyping & Omit<TypingState, 'place'> & { where: TypingPlace; recipients: number[] };

/**
 * Server-side typing state per (dialog, typer) with an expiry, and the messenger's `startWriting` command to every
 * participant except the typer (Bitrix24 `CIMMessenger::StartWriting`; ../shared/spec/typing.md). Expiry and a
 * message from the typer end it with our `stopWriting` (docs/decisions.md), sent once by whichever node takes the
 * state out of `states` (in memory, or in Redis for several nodes).
 */
export class Typing {
  /**
   * The expiry of each state this node started, by `place|typer`. One clock timer waits for the earliest of them
   * (a call renewing a state arms nothing unless its expiry comes sooner), so a sendTyping costs no timer of its own.
   */
  private readonly due = new Map<string, number>();
  private wake: { atMs: number; cancel: () => void } | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly hub: Hub,
    private readonly defaultTtlMs: number,
    private readonly states: TypingStates,
  ) {}

  /** In memory everything happens at once (the clock's expiry included); with Redis after its round trip. */
  start(input: StartTyping): MaybePromise<TypingState> {
    const recipients = input.participants.filter((id) => id !== input.userId);
    const expiresAt = this.clock.now() + (input.ttlMs ?? this.defaultTtlMs);
    const state: TypingState = {
      place: input.place,
      userId: input.userId,
      userName: input.userName,
      expiresAt,
      statusCode: input.statusCode,
      statusText: input.statusText,
    };
    const key = placeKey(input.place);
    const stored: Stored = {
      place: key,
      userId: input.userId,
      userName: input.userName,
      expiresAt,
      statusCode: input.statusCode,
      statusText: input.statusText,
      where: input.place,
      recipients,
    };
    return then(this.states.put(stored), () => {
      this.due.set(`${key}|${input.userId}`, expiresAt);
      this.armFor(expiresAt);
      this.emit('startWriting', state, recipients);
      return state;
    });
  }

  /** Ends the typer's state (their message arrived); tells recipients only if it was on. */
  stop(place: TypingPlace, userId: number): MaybePromise<void> {
    const key = placeKey(place);
    this.due.delete(`${key}|${userId}`); // the timer may still fire for it: a sweep that finds nothing
    return then(this.states.take(key, userId), (stored) => {
      if (stored) this.emit('stopWriting', fromStored(stored as Stored), (stored as Stored).recipients);
    });
  }

  /** Forgets every state without announcing it (the control API's reset; in memory only, see TypingStates). */
  clear(): void {
    this.wake?.cancel();
    this.wake = undefined;
    this.due.clear();
    this.states.clear?.();
  }

  /** Who is typing in a place right now. */
  list(place: TypingPlace): MaybePromise<TypingState[]> {
    const now = this.clock.now();
    return then(this.states.list(placeKey(place)), (stored) =>
      (stored as Stored[]).filter((s) => s.expiresAt > now).map(fromStored),
    );
  }

  /**
   * Takes out the states whose time has come, whichever node started them, and announces their end. Run by the
   * clock at each expiry this node set, and with Redis also every second (a node that set one may have died).
   */
  sweep(): MaybePromise<number> {
    return then(this.states.expired(this.clock.now()), (expired) => {
      for (const stored of expired as Stored[]) this.emit('stopWriting', fromStored(stored), stored.recipients);
      return expired.length;
    });
  }

  /** The clock fires the timer when its time reaches `atMs`, virtual time included (a test's advance). */
  private armFor(atMs: number): void {
    if (this.wake && this.wake.atMs <= atMs) return;
    this.wake?.cancel();
    this.wake = { atMs, cancel: this.clock.at(atMs, () => this.expire()) };
  }

  /** The earliest expiry came: forget what is due, wait for the next one, and sweep. */
  private expire(): void {
    this.wake = undefined;
    const now = this.clock.now();
    let next = Number.POSITIVE_INFINITY;
    for (const [timer, atMs] of this.due) {
      if (atMs <= now) this.due.delete(timer);
      else if (atMs < next) next = atMs;
    }
    if (next !== Number.POSITIVE_INFINITY) this.armFor(next);
    const swept = this.sweep();
    if (swept instanceof Promise) swept.catch(() => {}); // Redis away: the periodic sweep takes it later
  }

  private emit(command: 'startWriting' | 'stopWriting', state: TypingState, recipients: number[]): void {
    if (recipients.length === 0) return;
    // In a private dialog the recipient's dialog id is the typer's user id.
    const dialogId = state.place.kind === 'chat' ? chatDialogId(state.place.chatId) : String(state.userId);
    // One literal per shape, no spreads: every sendTyping publishes one (P1).
    const params = state.statusCode
      ? {
          dialogId,
          userId: state.userId,
          userName: state.userName,
          statusMessageCode: state.statusCode,
          statusMessage: state.statusText,
        }
      : { dialogId, userId: state.userId, userName: state.userName };
    this.hub.publish({ users: recipients }, { module_id: 'im', command, params });
  }
}
