export interface Typer {
  userId: number;
  userName: string;
  /** The v2 status text ("Agent is searching for information…"), when the typer sent one. */
  status: string;
}

/**
 * Who is typing where, from `startWriting`/`stopWriting`. Each entry also ends on its own after the server's
 * typing lifetime, so a lost `stopWriting` (or a server without it) never leaves a line on screen; a message from
 * the typer ends it too (Bitrix24 clients do the same).
 */
export class TypingTracker {
  private readonly byDialog = new Map<string, Map<number, Typer & { timer: ReturnType<typeof setTimeout> }>>();

  constructor(
    private readonly ttlMs: number,
    private readonly changed: (dialogId: string) => void,
  ) {}

  start(dialogId: string, userId: number, userName: string, status: string): void {
    const inDialog = this.byDialog.get(dialogId) ?? new Map();
    this.byDialog.set(dialogId, inDialog);
    clearTimeout(inDialog.get(userId)?.timer);
    const timer = setTimeout(() => this.stop(dialogId, userId), this.ttlMs);
    inDialog.set(userId, { userId, userName, status, timer });
    this.changed(dialogId);
  }

  stop(dialogId: string, userId: number): void {
    const inDialog = this.byDialog.get(dialogId);
    const entry = inDialog?.get(userId);
    if (!entry) return;
    clearTimeout(entry.timer);
    inDialog!.delete(userId);
    if (inDialog!.size === 0) this.byDialog.delete(dialogId);
    this.changed(dialogId);
  }

  list(dialogId: string): Typer[] {
    return [...(this.byDialog.get(dialogId)?.values() ?? [])].map(({ userId, userName, status }) => ({
      userId,
      userName,
      status,
    }));
  }

  clear(): void {
    for (const inDialog of this.byDialog.values()) for (const entry of inDialog.values()) clearTimeout(entry.timer);
    this.byDialog.clear();
  }
}
