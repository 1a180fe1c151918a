import { errorText, isNetworkError } from '../i18n/error-text.ts';

export interface Pending {
  /** TEMPLATE_ID of im.message.add: the server answers a repeat with the first message, so a resend never doubles. */
  uuid: string;
  dialogId: string;
  text: string;
  /** Unix ms, when it was written. */
  date: number;
  /** `sending` on its way, `waiting` for the server to be reachable again, `failed` refused by the server. */
  state: 'sending' | 'waiting' | 'failed';
  /** Why the server refused it. */
  error?: string;
}

/** Delays between attempts while the server is unreachable; reconnecting Push & Pull also triggers one. */
const RETRY_MS = [1000, 2000, 5000, 10000];

/**
 * Messages written but not yet stored by the server, oldest first, kept in localStorage so a reload does not lose
 * them. They are sent one at a time in order; while the server is unreachable they wait and are tried again.
 */
export class Outbox {
  private items: Pending[];
  private flushing = false;
  private failures = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly storageKey: string,
    /** Stores one message; answers its id. */
    private readonly deliver: (pending: Pending) => Promise<number>,
    private readonly delivered: (pending: Pending, id: number) => void,
    private readonly changed: () => void,
  ) {
    this.items = load(storageKey);
    for (const item of this.items) if (item.state === 'sending') item.state = 'waiting';
  }

  list(dialogId: string): Pending[] {
    return this.items.filter((item) => item.dialogId === dialogId);
  }

  add(dialogId: string, text: string, now: number): void {
    this.items.push({ uuid: uuidV4(), dialogId, text, date: now, state: 'waiting' });
    this.save();
    this.flush();
  }

  /** Its echo arrived through Push & Pull before the answer did: stored, so it is no longer pending. */
  confirm(uuid: string): boolean {
    const before = this.items.length;
    this.items = this.items.filter((item) => item.uuid !== uuid);
    if (this.items.length === before) return false;
    this.save();
    return true;
  }

  retry(uuid: string): void {
    const item = this.items.find((i) => i.uuid === uuid);
    if (!item) return;
    item.state = 'waiting';
    item.error = undefined;
    this.failures = 0;
    this.save();
    this.flush();
  }

  discard(uuid: string): void {
    this.confirm(uuid);
    this.changed();
  }

  /** The connection is back (Push & Pull reconnected, the browser is online): try at once. */
  wake(): void {
    if (!this.items.some((item) => item.state === 'waiting')) return;
    this.failures = 0;
    this.flush();
  }

  stop(): void {
    clearTimeout(this.timer);
  }

  /** Sends what waits, in order; stops at the first one the server cannot be reached for. */
  async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    clearTimeout(this.timer);
    try {
      for (let item = this.next(); item; item = this.next()) {
        item.state = 'sending';
        this.changed();
        try {
          const id = await this.deliver(item);
          this.failures = 0;
          this.confirm(item.uuid);
          this.delivered(item, id);
        } catch (error) {
          if (!this.items.includes(item)) continue;
          if (isNetworkError(error)) {
            item.state = 'waiting';
            this.save();
            this.timer = setTimeout(() => this.flush(), RETRY_MS[Math.min(this.failures++, RETRY_MS.length - 1)]);
            return;
          }
          item.state = 'failed';
          item.error = errorText(error);
          this.save();
        }
      }
    } finally {
      this.flushing = false;
      this.changed();
    }
  }

  private next(): Pending | undefined {
    return this.items.find((item) => item.state === 'waiting');
  }

  private save(): void {
    try {
      if (this.items.length) localStorage.setItem(this.storageKey, JSON.stringify(this.items));
      else localStorage.removeItem(this.storageKey);
    } catch {
      // Private mode or a full storage: the queue still lives for this page.
    }
    this.changed();
  }
}

function load(key: string): Pending[] {
  try {
    const stored = JSON.parse(localStorage.getItem(key) ?? '[]');
    return Array.isArray(stored) ? stored.filter((item) => item && typeof item.uuid === 'string') : [];
  } catch {
    return [];
  }
}

/** A version-4 UUID; crypto.randomUUID exists only in secure contexts, and the server may be reached over plain http. */
function uuidV4(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
