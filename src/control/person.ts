import type { App } from '../app.ts';
import type { Caller } from '../domain/caller.ts';
import type { TypingPlace } from '../domain/typing.ts';
import type { PullCommand, Recipients } from '../realtime/hub.ts';
import { ApiError } from '../wire/errors.ts';
import type { Params } from '../wire/params/nest.ts';
import { bad } from './input.ts';

/** An im.dialog.messages.get message, as `wait` answers it. */
interface ViewedMessage {
  id: number;
  author_id: number;
  [key: string]: unknown;
}

/**
 * A person at the web messenger, played by the control API: `say` posts what the page posts (im.message.add with
 * the web application's token, so events, counters and Push & Pull follow as for a click on Send), and `wait`
 * watches the dialog as that person sees it (im.dialog.messages.get and the typing commands they receive).
 */
export class Person {
  private readonly tokens = new Map<number, string>();

  constructor(
    private readonly app: App,
    /** client_id of the web messenger's application, whose tokens people use. */
    private readonly clientId: string,
  ) {}

  forget(): void {
    this.tokens.clear();
  }

  async say(from: number, dialogId: string, message: string): Promise<number> {
    const caller = await this.callerOf(from, 'from');
    return (await this.invoke('im.message.add', { DIALOG_ID: dialogId, MESSAGE: message }, caller)) as number;
  }

  /** The first message after `after` by someone else, or undefined when none came within `timeoutMs`. */
  async waitMessage(
    user: number,
    dialogId: string,
    after: number | undefined,
    timeoutMs: number,
  ): Promise<ViewedMessage | undefined> {
    const caller = await this.callerOf(user, 'user');
    const watch = this.watch(
      (command, to) => isFor(to, user) && (command.command === 'message' || command.command === 'messageChat'),
      timeoutMs,
    );
    try {
      let last = after ?? (await this.newestId(caller, dialogId));
      for (;;) {
        const page = await this.page(caller, dialogId, last);
        const found = page.find((m) => m.id > last && m.author_id !== user);
        if (found) return found;
        if (page.length === 50) {
          last = page[page.length - 1].id;
          continue;
        }
        if (!(await watch.next())) return undefined;
      }
    } finally {
      watch.close();
    }
  }

  /** The first typing indicator by someone else in the dialog (one already on counts), or undefined. */
  async waitTyping(user: number, dialogId: string, timeoutMs: number): Promise<Record<string, unknown> | undefined> {
    await this.callerOf(user, 'user');
    const place = placeOf(user, dialogId);
    let started: Record<string, unknown> | undefined;
    const watch = this.watch((command, to) => {
      if (!isFor(to, user) || command.command !== 'startWriting' || command.params.dialogId !== dialogId) return false;
      started = command.params;
      return true;
    }, timeoutMs);
    try {
      const on = (await this.app.domain.typing.list(place)).find((s) => s.userId !== user);
      if (on) {
        const status = on.statusCode ? { statusMessageCode: on.statusCode, statusMessage: on.statusText } : {};
        return { dialogId, userId: on.userId, userName: on.userName, ...status };
      }
      return (await watch.next()) ? started : undefined;
    } finally {
      watch.close();
    }
  }

  /** The newest message id of the dialog as the person sees it, 0 when there is none. */
  private async newestId(caller: Caller, dialogId: string): Promise<number> {
    const result = (await this.invoke('im.dialog.messages.get', { DIALOG_ID: dialogId, LIMIT: 1 }, caller)) as {
      messages: ViewedMessage[];
    };
    return result.messages[0]?.id ?? 0;
  }

  private async page(caller: Caller, dialogId: string, after: number): Promise<ViewedMessage[]> {
    const result = (await this.invoke(
      'im.dialog.messages.get',
      { DIALOG_ID: dialogId, FIRST_ID: after, LIMIT: 50 },
      caller,
    )) as { messages: ViewedMessage[] };
    return result.messages;
  }

  /** Hub commands that pass `accept` wake `next()`; false once the time is up. Subscribed before the first look. */
  private watch(accept: (command: PullCommand, to: Recipients) => boolean, timeoutMs: number) {
    let pending = false;
    let wake: ((arrived: boolean) => void) | undefined;
    const unsubscribe = this.app.services.hub.subscribe((command, to) => {
      if (!accept(command, to)) return;
      pending = true;
      wake?.(true);
    });
    // Real time, not the virtual clock: a frozen clock must not hold a test's wait forever.
    const deadline = Date.now() + timeoutMs;
    return {
      next: () =>
        new Promise<boolean>((resolve) => {
          if (pending) {
            pending = false;
            return resolve(true);
          }
          const timer = setTimeout(() => resolve(false), Math.max(0, deadline - Date.now()));
          wake = (arrived) => {
            clearTimeout(timer);
            wake = undefined;
            pending = false;
            resolve(arrived);
          };
        }),
      close: unsubscribe,
    };
  }

  private async invoke(method: string, params: Params, caller: Caller): Promise<unknown> {
    const outcome = await this.app.services.invoke(method, params, caller);
    if (!outcome.ok) throw new ApiError(outcome.error, outcome.error_description, outcome.status);
    return outcome.result;
  }

  /** The person's caller through the web application, on a token of theirs kept until it expires. */
  private async callerOf(userId: number, field: string): Promise<Caller> {
    const { identities, users } = this.app.domain;
    const user = await users.get(userId);
    if (!user || user.is_bot || !user.active) throw bad(field, `must be the id of an active person (got ${userId})`);
    const kept = this.tokens.get(userId);
    if (kept) {
      try {
        return await identities.tokenCaller(kept);
      } catch {
        // expired or revoked: a new one below
      }
    }
    const webApp = await identities.appByClientId(this.clientId);
    if (!webApp) throw new ApiError('NOT_FOUND', 'The web messenger is off: people cannot be played', 404);
    const caller = await identities.callerThrough(webApp, userId);
    this.tokens.set(userId, caller.accessToken!);
    return caller;
  }
}

function isFor(to: Recipients, user: number): boolean {
  return 'users' in to && to.users.includes(user);
}

/** Where `dialogId` points for `user`: a chat, or the private dialog with that user id. */
function placeOf(user: number, dialogId: string): TypingPlace {
  const chat = /^chat(\d{1,9})$/i.exec(dialogId);
  if (chat) return { kind: 'chat', chatId: Number(chat[1]) };
  if (/^\d{1,9}$/.test(dialogId)) return { kind: 'private', userA: user, userB: Number(dialogId) };
  throw bad('dialogId', 'must be a user id or chatN');
}
