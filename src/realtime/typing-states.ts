import type { MaybePromise } from '../wire/maybe-promise.ts';

/** One "typing…" as stored: who types where, until when, and whom to tell when it ends. Plain JSON. */
export interface StoredTyping {
  /** The place's key (a chat, or the private dialog of two users). */
  place: string;
  userId: number;
  expiresAt: number;
  [field: string]: unknown;
}

/**
 * Where typing states live until they expire. Each state is taken out exactly once, by `take` (the typer's message
 * came) or by `expired` (its time ran out), whichever comes first: so `stopWriting` is sent once, not once per node.
 * `LocalTypingStates` serves one process, `RedisTypingStates` every node of a cluster.
 */
export interface TypingStates {
  /** Stores or extends a state. */
  put(state: StoredTyping): MaybePromise<void>;
  /** Removes and returns the state, if it is there. */
  take(place: string, userId: number): MaybePromise<StoredTyping | undefined>;
  /** The states of a place, expired ones included until they are taken. */
  list(place: string): MaybePromise<StoredTyping[]>;
  /** Removes and returns every state whose time has come. */
  expired(nowMs: number): MaybePromise<StoredTyping[]>;
  /** Drops every state (the control API's reset of one process; shared states are left to expire). */
  clear?(): void;
}

/** In memory: every answer at once, so a virtual clock's expiry announces the end within its `advance`. */

export class LocalTypingStates implements TypingStates {
  private readonly places = new Map<string, Map<number, StoredTyping>>();

  put(state: StoredTyping): void {
    const inPlace = this.places.get(state.place) ?? new Map();
    this.places.set(state.place, inPlace);
    inPlace.set(state.userId, state);
  }

  take(place: string, userId: number): StoredTyping | undefined {
    const inPlace = this.places.get(place);
    const state = inPlace?.get(userId);
    if (!state) return undefined;
    inPlace!.delete(userId);
    if (inPlace!.size === 0) this.places.delete(place);
    return state;
  }

  clear(): void {
    this.places.clear();
  }

  list(place: string): StoredTyping[] {
    return [...(this.places.get(place)?.values() ?? [])];
  }

  expired(nowMs: number): StoredTyping[] {
    const out: StoredTyping[] = [];
    for (const [place, inPlace] of this.places) {
      for (const [userId, state] of inPlace) {
        if (state.expiresAt > nowMs) continue;
        inPlace.delete(userId);
        out.push(state);
      }
      if (inPlace.size === 0) this.places.delete(place);
    }
    return out;
  }
}
