import { onConnectionChange } from '../connection.ts';
import { isNetworkError } from '../i18n/error-text.ts';
import { t } from '../i18n/i18n.ts';
import type { PullClient, PullCommand } from '../pull.ts';
import type { Rest } from '../rest.ts';
import {
  type Dialog,
  dialogOfChat,
  dialogOfPull,
  dialogWithPerson,
  type Message,
  type Person,
  readIds,
  readMessage,
  readPeople,
  readPerson,
  readReaders,
  readRecentItem,
} from './model.ts';
import { noticeText } from './notices.ts';
import { Outbox, type Pending } from './outbox.ts';
import { TypingTracker } from './typing.ts';

export interface ChatLog {
  /** Oldest first. */
  items: Message[];
  hasOlder: boolean;
  loading: boolean;
}

/** Messages per history page (im.dialog.messages.get allows up to 50). */
export const PAGE = 20;
/** The person's own typing goes to im.dialog.writing at most this often while they type. */
export const WRITING_EVERY_MS = 5000;

/**
 * The messenger's state and every REST call it makes. Components read it and call its actions; it re-renders
 * them through `subscribe`. Push & Pull commands update it live.
 */
export class MessengerStore {
  me: Person = { id: 0, name: '', bot: false, color: '', avatar: '' };
  readonly people = new Map<number, Person>();
  readonly dialogs = new Map<string, Dialog>();
  readonly logs = new Map<string, ChatLog>();
  readonly typing: TypingTracker;
  openId: string | null = null;
  /** Administrators get a link to the admin pages (`profile` answers ADMIN). */
  isAdmin = false;
  online = false;
  /** im.recent.list has answered once: until then an empty list means "loading", not "no dialogs". */
  recentLoaded = false;
  readonly drafts = new Map<string, string>();
  /** Bumped when a keyboard button puts text into the composer, so it takes focus. */
  draftPutAt = 0;
  /** The failure the toast tells about, put into words when shown (so in the language of the moment). */
  problem: unknown = null;
  /** The last problem was the server being unreachable: it goes when the connection is back. */
  private problemIsOffline = false;
  outbox: Outbox | undefined;
  /** Member ids of group chats, from im.chat.user.list, kept current by chatUserAdd / chatUserLeave. */
  readonly members = new Map<string, number[]>();
  /** Names and sizes of files in loaded history (`files` of im.dialog.messages.get), by file id. */
  readonly files = new Map<number, { name: string; size: number }>();
  private everyone: Promise<Person[]> | undefined;
  private readonly listeners = new Set<() => void>();
  private readonly writingSentAt = new Map<string, number>();
  private unsubscribe: (() => void)[] = [];

  constructor(
    private readonly rest: Rest,
    private readonly pull: PullClient,
    typingTtlSec: number,
  ) {
    this.typing = new TypingTracker(typingTtlSec * 1000, () => this.emit());
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async start(): Promise<void> {
    this.unsubscribe = [
      this.pull.subscribe((command) => this.onPull(command)),
      this.pull.onStatus((online) => {
        this.online = online;
        if (online) {
          this.outbox?.wake();
          if (this.problemIsOffline) this.problem = null;
        }
        this.emit();
      }),
    ];
    const onOnline = () => this.outbox?.wake();
    addEventListener('online', onOnline);
    this.unsubscribe.push(
      () => removeEventListener('online', onOnline),
      onConnectionChange((lost) => {
        if (lost) return;
        this.outbox?.wake();
        if (this.problemIsOffline) this.dismissProblem();
        // A dialog opened while the server was away is loaded now.
        const open = this.openId;
        if (open && (!this.dialogs.has(open) || !this.logs.has(open))) void this.open(open);
      }),
    );
    const onVisible = () => {
      if (!document.hidden && this.openId) this.markRead(this.openId).catch((error) => this.report(error));
    };
    document.addEventListener('visibilitychange', onVisible);
    this.unsubscribe.push(() => document.removeEventListener('visibilitychange', onVisible));
    this.pull.start();
    const profile = await this.rest.call<Record<string, unknown>>('profile');
    this.me = readPerson(profile);
    this.isAdmin = profile.ADMIN === true;
    this.people.set(this.me.id, this.me);
    this.outbox = new Outbox(
      `b24-local.outbox.${this.me.id}`,
      (pending) =>
        this.rest.call<number>('im.message.add', {
          DIALOG_ID: pending.dialogId,
          MESSAGE: pending.text,
          TEMPLATE_ID: pending.uuid,
        }),
      (pending, id) => this.delivered(pending, id),
      () => this.emit(),
    );
    await this.loadRecent();
    this.outbox.flush();
  }

  stop(): void {
    this.outbox?.stop();
    for (const off of this.unsubscribe) off();
    this.pull.stop();
    this.typing.clear();
  }

  /** Dialogs, most recent message first. */
  list(): Dialog[] {
    return [...this.dialogs.values()].sort((a, b) => (b.last?.date ?? 0) - (a.last?.date ?? 0));
  }

  personName(id: number): string {
    return this.people.get(id)?.name ?? t('messenger.someone', { id });
  }

  /** A system notice of the messenger in the UI's language (null when `text` is none). */
  noticeText(text: string): string | null {
    return noticeText(text, (id) => this.people.get(id)?.female ?? false);
  }

  async loadRecent(): Promise<void> {
    const answer = await this.rest.call<{ items?: unknown[] } | unknown[]>('im.recent.list', { SKIP_OPENLINES: 'Y' });
    const items = Array.isArray(answer) ? answer : (answer.items ?? []);
    for (const raw of items as any[]) {
      const dialog = readRecentItem(raw);
      this.dialogs.set(dialog.dialogId, dialog);
      if (raw.user) this.remember([readPerson(raw.user)]);
    }
    this.recentLoaded = true;
    this.emit();
  }

  async open(dialogId: string | null): Promise<void> {
    this.openId = dialogId;
    this.emit();
    if (!dialogId) return;
    try {
      if (!this.dialogs.has(dialogId)) await this.discover(dialogId);
      const details = this.loadDetails(dialogId);
      if (!this.logs.has(dialogId)) await this.loadOlder(dialogId);
      await details;
      await this.markRead(dialogId);
    } catch (error) {
      this.report(error);
    }
  }

  /** The next older page of a dialog's history (the first page when nothing is loaded). */
  async loadOlder(dialogId: string): Promise<void> {
    const log = this.logs.get(dialogId) ?? { items: [], hasOlder: true, loading: false };
    if (log.loading || !log.hasOlder) return;
    this.logs.set(dialogId, { ...log, loading: true });
    this.emit();
    const params: Record<string, unknown> = { DIALOG_ID: dialogId, LIMIT: PAGE };
    if (log.items.length) params.LAST_ID = log.items[0].id;
    try {
      const answer = await this.rest.call<{ messages?: unknown[]; users?: unknown; files?: unknown }>(
        'im.dialog.messages.get',
        params,
      );
      this.remember(readPeople(answer.users));
      this.rememberFiles(answer.files);
      const older = (answer.messages ?? []).map(readMessage);
      const current = this.logs.get(dialogId) ?? log;
      this.logs.set(dialogId, {
        items: merge(current.items, older),
        hasOlder: older.length >= PAGE,
        loading: false,
      });
    } catch (error) {
      // A first page that never came is asked again when the connection is back (open).
      if (log.items.length) this.logs.set(dialogId, { ...log, loading: false });
      else this.logs.delete(dialogId);
      this.report(error);
    }
    this.emit();
  }

  /**
   * Queues a message: it shows at once as pending and is sent by the outbox, which keeps it (and tries again)
   * while the server is unreachable. The TEMPLATE_ID makes a resend after a lost answer store nothing new.
   */
  send(dialogId: string, text: string): boolean {
    const message = text.trim();
    if (!message || !this.outbox) return false;
    this.writingSentAt.delete(dialogId);
    this.outbox.add(dialogId, message, Date.now());
    return true;
  }

  pending(dialogId: string): Pending[] {
    return this.outbox?.list(dialogId) ?? [];
  }

  private delivered(pending: Pending, id: number): void {
    if (this.logs.get(pending.dialogId)?.items.some((m) => m.id === Number(id))) return;
    this.addMessage(pending.dialogId, {
      id: Number(id),
      chatId: this.dialogs.get(pending.dialogId)?.chatId ?? 0,
      authorId: this.me.id,
      date: Date.now(),
      text: pending.text,
      params: {},
      uuid: pending.uuid,
      system: false,
    });
  }

  /** A keyboard button's COMMAND, pressed under a bot's message. */
  async command(message: Message, command: string, params: string, botId?: number): Promise<void> {
    try {
      await this.rest.call('im.message.command', {
        MESSAGE_ID: message.id,
        BOT_ID: botId || message.authorId,
        COMMAND: command,
        COMMAND_PARAMS: params,
      });
    } catch (error) {
      this.report(error);
    }
  }

  /** Called on every keystroke; tells the server at most once per WRITING_EVERY_MS per dialog. */
  writing(dialogId: string): void {
    const now = Date.now();
    if (now - (this.writingSentAt.get(dialogId) ?? 0) < WRITING_EVERY_MS) return;
    this.writingSentAt.set(dialogId, now);
    this.rest.call('im.dialog.writing', { DIALOG_ID: dialogId }).catch((error) => this.report(error));
  }

  async markRead(dialogId: string): Promise<void> {
    const dialog = this.dialogs.get(dialogId);
    const last = this.logs.get(dialogId)?.items.at(-1);
    if (!dialog || !last || dialog.counter === 0) return;
    dialog.counter = 0;
    this.emit();
    await this.rest.call('im.dialog.read', { DIALOG_ID: dialogId, MESSAGE_ID: last.id });
  }

  setDraft(dialogId: string, text: string): void {
    this.drafts.set(dialogId, text);
    this.emit();
  }

  /** A keyboard's PUT action or a [put=…] link: the text goes into the composer for the person to finish. */
  put(dialogId: string, text: string): void {
    this.draftPutAt++;
    this.setDraft(dialogId, text);
  }

  /** Everyone one can open a dialog with: people (user.get) and bots (imbot.bot.list), without oneself. */
  async directory(): Promise<Person[]> {
    const [people, bots] = await Promise.all([
      this.rest.call<unknown[]>('user.get', { FILTER: { ACTIVE: true } }),
      this.bots(),
    ]);
    const found = [...readPeople(people), ...bots].filter((p) => p.id !== this.me.id);
    this.remember(found);
    // Their colours and genders: what the messenger's own view of users tells, and user.get does not.
    const ids = [this.me.id, ...found.map((p) => p.id)];
    this.remember(readPeople(await this.rest.call('im.user.list.get', { ID: ids, RESULT_TYPE: 'array' })));
    return found.map((p) => this.people.get(p.id)!);
  }

  /** Names for ids no answer has told yet (members of a chat): the directory, fetched once. */
  private async learn(ids: number[]): Promise<void> {
    if (ids.every((id) => this.people.has(id))) return;
    this.everyone ??= this.directory().catch((error) => {
      this.everyone = undefined;
      throw error;
    });
    await this.everyone;
  }

  /** Owner and read marks of a dialog (im.dialog.get); a private dialog not yet written in has none. */
  private async loadDetails(dialogId: string): Promise<void> {
    let raw: Record<string, unknown>;
    try {
      raw = await this.rest.call<Record<string, unknown>>('im.dialog.get', { DIALOG_ID: dialogId });
    } catch (error) {
      if (dialogId.startsWith('chat')) this.report(error);
      return;
    }
    const dialog = this.dialogs.get(dialogId);
    if (!dialog) return;
    dialog.ownerId = Number(raw.owner) || 0;
    dialog.managers = readIds(raw.manager_list);
    dialog.readBy = readReaders(raw.readed_list);
    if (!dialog.chatId) dialog.chatId = Number(raw.id) || 0;
    if (dialog.isChat) await this.loadMembers(dialogId);
    this.emit();
  }

  async loadMembers(dialogId: string): Promise<number[]> {
    const ids = (await this.rest.call<unknown[]>('im.chat.user.list', { DIALOG_ID: dialogId })).map(Number);
    this.members.set(dialogId, ids);
    await this.learn(ids);
    this.emit();
    return ids;
  }

  /** Who can be mentioned with `@` in a dialog: the chat's members, or the companion; never oneself. */
  mentionable(dialogId: string): Person[] {
    const ids = this.members.get(dialogId) ?? (dialogId.startsWith('chat') ? [] : [Number(dialogId)]);
    return ids
      .filter((id) => id !== this.me.id)
      .map((id) => this.people.get(id))
      .filter((p): p is Person => !!p);
  }

  /** A group chat with these people and bots (im.chat.add); answers its dialog id. */
  async createChat(title: string, userIds: number[]): Promise<string | null> {
    try {
      const id = await this.rest.call<number>('im.chat.add', { TITLE: title.trim(), USERS: userIds });
      await this.loadRecent();
      return `chat${id}`;
    } catch (error) {
      this.report(error);
      return null;
    }
  }

  async addMembers(dialogId: string, userIds: number[]): Promise<boolean> {
    return this.changeMembers(() =>
      this.rest.call('im.chat.user.add', { DIALOG_ID: dialogId, USERS: userIds, HIDE_HISTORY: 'N' }),
    );
  }

  async removeMember(dialogId: string, userId: number): Promise<boolean> {
    return this.changeMembers(() => this.rest.call('im.chat.user.delete', { DIALOG_ID: dialogId, USER_ID: userId }));
  }

  async leave(dialogId: string): Promise<boolean> {
    return this.changeMembers(() => this.rest.call('im.chat.leave', { DIALOG_ID: dialogId }));
  }

  /** The change arrives as chatUserAdd / chatUserLeave, which update the member list. */
  private async changeMembers(call: () => Promise<unknown>): Promise<boolean> {
    try {
      await call();
      return true;
    } catch (error) {
      this.report(error);
      return false;
    }
  }

  /** A file of a message: a one-time link from im.v2.File.download, opened in a new tab. */
  async download(dialogId: string, fileId: number): Promise<void> {
    const tab = window.open('', '_blank');
    try {
      const answer = await this.rest.call<{ downloadUrl: string }>('im.v2.File.download', { dialogId, fileId });
      if (tab) tab.location.href = answer.downloadUrl;
    } catch (error) {
      tab?.close();
      this.report(error);
    }
  }

  /** Whether a message of mine has been read by someone else in the dialog; the readers' ids. */
  readersOf(dialogId: string, messageId: number): number[] {
    const readBy = this.dialogs.get(dialogId)?.readBy ?? {};
    return Object.entries(readBy)
      .filter(([id, last]) => Number(id) !== this.me.id && last >= messageId)
      .map(([id]) => Number(id));
  }

  /** Every bot of the portal (imbot.bot.list, keyed by id). */
  private async bots(): Promise<Person[]> {
    const bots = await this.rest.call<Record<string, unknown> | unknown[]>('imbot.bot.list');
    return readPeople(bots).map((bot) => ({ ...bot, bot: true }));
  }

  dismissProblem(): void {
    this.problem = null;
    this.emit();
  }

  report(error: unknown): void {
    this.problemIsOffline = isNetworkError(error);
    this.problem = error;
    this.emit();
  }

  /** A dialog opened by address or from "new chat" that has no messages yet. */
  private async discover(dialogId: string): Promise<void> {
    if (dialogId.startsWith('chat')) {
      const chat = await this.rest.call<Record<string, unknown>>('im.dialog.get', { DIALOG_ID: dialogId });
      this.dialogs.set(dialogId, dialogOfChat(chat, dialogId));
    } else {
      const id = Number(dialogId);
      // user.get never lists bots (b24restdocs user-get.md), so a bot is looked up among imbot.bot.list.
      const person =
        this.people.get(id) ??
        readPeople(await this.rest.call('user.get', { ID: id }))[0] ??
        (await this.bots()).find((bot) => bot.id === id);
      if (!person) throw new Error(t('messenger.nobodyWithId', { id: dialogId }));
      this.remember([person]);
      this.dialogs.set(dialogId, dialogWithPerson(this.people.get(id)!));
    }
    this.emit();
  }

  /**
   * Each answer tells part of a person (user.get no colour, the im views no bot CODE): what one told is kept when
   * another leaves it out, and a private dialog opened before its colour was known takes it then, so an avatar has
   * one colour everywhere.
   */
  private remember(people: Person[]): void {
    for (const person of people) {
      const known = this.people.get(person.id);
      const merged = {
        ...person,
        color: person.color || known?.color || '',
        avatar: person.avatar || known?.avatar || '',
        female: person.female || known?.female,
        code: person.code || known?.code,
      };
      this.people.set(person.id, merged);
      const dialog = this.dialogs.get(String(person.id));
      if (dialog && !dialog.color) dialog.color = merged.color;
    }
  }

  /** `files` of a history page (a list) or of a `message` pull (keyed by file id). */
  private rememberFiles(files: unknown): void {
    const list = Array.isArray(files) ? files : Object.values((files ?? {}) as Record<string, any>);
    for (const file of list) {
      this.files.set(Number(file.id), { name: String(file.name ?? ''), size: Number(file.size) || 0 });
    }
  }

  private addMessage(dialogId: string, message: Message): void {
    const log = this.logs.get(dialogId);
    if (log) this.logs.set(dialogId, { ...log, items: merge(log.items, [message]) });
    const dialog = this.dialogs.get(dialogId);
    if (dialog) {
      if (message.chatId) dialog.chatId = message.chatId;
      if (!dialog.last || message.date >= dialog.last.date) {
        dialog.last = { text: message.text, authorId: message.authorId, date: message.date };
      }
    }
    this.typing.stop(dialogId, message.authorId);
    this.emit();
  }

  private onPull(command: PullCommand): void {
    if (command.module_id !== 'im') return;
    const params = command.params ?? {};
    switch (command.command) {
      case 'startWriting':
        this.typing.start(
          String(params.dialogId),
          Number(params.userId),
          String(params.userName ?? this.personName(Number(params.userId))),
          String(params.statusMessage ?? ''),
        );
        return;
      case 'stopWriting':
        this.typing.stop(String(params.dialogId), Number(params.userId));
        return;
      case 'message':
      case 'messageChat':
        this.onMessage(command.command, params);
        return;
      case 'readMessage':
      case 'readMessageChat': {
        const dialog = this.dialogs.get(String(params.dialogId));
        if (dialog && typeof params.counter === 'number') {
          dialog.counter = params.counter;
          this.emit();
        }
        return;
      }
      case 'readMessageOpponent':
      case 'readMessageChatOpponent': {
        const dialog = this.dialogs.get(String(params.dialogId));
        const userId = Number(params.userId);
        if (dialog && userId) {
          dialog.readBy = { ...dialog.readBy, [userId]: Math.max(dialog.readBy[userId] ?? 0, Number(params.lastId)) };
          this.emit();
        }
        return;
      }
      case 'chatUserAdd':
        this.onMembers(String(params.dialogId), (ids) => [...ids, ...(params.newUsers ?? []).map(Number)]);
        this.remember(readPeople(params.users));
        return;
      case 'chatUserLeave':
        this.onLeave(String(params.dialogId), Number(params.userId));
        return;
      case 'chatManagers': {
        const dialog = this.dialogs.get(String(params.dialogId));
        if (dialog) {
          dialog.managers = readIds(params.list);
          this.emit();
        }
        return;
      }
      case 'chatRename': {
        const dialog = this.dialogs.get(`chat${params.chatId}`);
        if (dialog) {
          dialog.title = String(params.name ?? dialog.title);
          this.emit();
        }
        return;
      }
      case 'messageUpdate':
      case 'messageDelete':
        this.onEdit(params);
        return;
      case 'messageDeleteComplete':
        this.onRemoved(params);
        return;
    }
  }

  private onMembers(dialogId: string, change: (ids: number[]) => number[]): void {
    const ids = this.members.get(dialogId);
    if (!ids) return;
    this.members.set(dialogId, [...new Set(change(ids))]);
    this.emit();
  }

  /** Someone left or was removed; when it is me, the chat leaves my list. */
  private onLeave(dialogId: string, userId: number): void {
    if (userId !== this.me.id) {
      this.onMembers(dialogId, (ids) => ids.filter((id) => id !== userId));
      return;
    }
    this.dialogs.delete(dialogId);
    this.logs.delete(dialogId);
    this.members.delete(dialogId);
    if (this.openId === dialogId) {
      this.openId = null;
      history.replaceState(null, '', location.pathname);
    }
    this.emit();
  }

  private onMessage(command: string, params: Record<string, any>): void {
    const dialogId = dialogOfPull(command, params, this.me.id);
    const message = readMessage(params.message ?? {});
    this.remember(readPeople(params.users));
    this.rememberFiles(params.files);
    if (message.uuid && message.authorId === this.me.id) this.outbox?.confirm(message.uuid);
    if (!this.dialogs.has(dialogId)) {
      this.loadRecent().catch((error) => this.report(error));
      return;
    }
    const isMine = message.authorId === this.me.id;
    this.addMessage(dialogId, message);
    const dialog = this.dialogs.get(dialogId)!;
    if (isMine) return;
    dialog.counter = typeof params.counter === 'number' ? params.counter : dialog.counter + 1;
    this.emit();
    if (this.openId === dialogId && !document.hidden) this.markRead(dialogId).catch((error) => this.report(error));
  }

  private onEdit(params: Record<string, any>): void {
    const log = this.logs.get(String(params.dialogId));
    const id = Number(params.id);
    if (!log?.items.some((m) => m.id === id)) return;
    const items = log.items.map((m) =>
      m.id === id ? { ...m, text: String(params.text ?? m.text), params: params.params ?? m.params } : m,
    );
    this.logs.set(String(params.dialogId), { ...log, items });
    this.emit();
  }

  private onRemoved(params: Record<string, any>): void {
    const dialogId = String(params.dialogId);
    const log = this.logs.get(dialogId);
    if (log) this.logs.set(dialogId, { ...log, items: log.items.filter((m) => m.id !== Number(params.id)) });
    const dialog = this.dialogs.get(dialogId);
    if (dialog && typeof params.counter === 'number') dialog.counter = params.counter;
    this.emit();
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}

/** Messages by id, oldest first, without duplicates (a sent message arrives again through pull). */
function merge(current: Message[], incoming: Message[]): Message[] {
  const byId = new Map(current.map((m) => [m.id, m]));
  for (const message of incoming) byId.set(message.id, { ...byId.get(message.id), ...message });
  return [...byId.values()].sort((a, b) => a.id - b.id);
}
