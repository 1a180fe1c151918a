import type { Clock } from '../clock.ts';
import type { Hub } from '../realtime/hub.ts';
import type { Db } from '../store/db.ts';
import { ApiError } from '../wire/errors.ts';
import { limitText, normalizeText } from './bb-code.ts';
import {
  botDialogId,
  botsForMessage,
  commandParams,
  type EventMessage,
  joinParams,
  messageAddParams,
  messageDeleteParams,
  messageUpdateParams,
  type Participant,
} from './bot-events.ts';
import { type BotRow, HANDLER_EVENTS, type HandlerName } from './bots.ts';
import { chatColor, managerList } from './chat-rules.ts';
import type { ChatRow, Chats } from './chats.ts';
import type { CommandCallMatch, Commands } from './commands.ts';
import type { Dialog } from './dialogs.ts';
import type { EventSink } from './events.ts';
import { DELETED_TEXT, type MessageRow } from './im-message-view.ts';
import { membersJoined, messageAdded, messageChanged, messageDeleted } from './im-v2-user-events.ts';
import type { MessageExtras } from './message-extras.ts';
import {
  type ChatChanges,
  chatManagersPulls,
  chatOwnerPulls,
  chatUpdatePulls,
  chatUserAddPulls,
  chatUserLeavePulls,
  type Delivery,
  messageDeletePulls,
  messageLikePulls,
  messageUpdatePulls,
  newMessagePulls,
  type PullScene,
  readPulls,
} from './messenger-pull.ts';
import type { StartTyping, Typing, TypingPlace } from './typing.ts';
import type { UserRow } from './user-row.ts';
import { fullName, type Users } from './users.ts';
import { reactionEvent } from './v2-event-sink.ts';

/** Where a message goes: a chat the author is in, or the private dialog with another person. */
export type DialogTarget = { kind: 'chat'; chat: ChatRow } | { kind: 'private'; peer: UserRow };

/** What the caller's side adds to a change: where avatars are served. */
export interface Live {
  origin: string;
}

export interface SendInput {
  author: UserRow;
  /** Sent through imbot.*: bot messages invoke no commands (the im module sets SKIP_COMMAND). */
  byBot: boolean;
  target: DialogTarget;
  text: string;
  extras: MessageExtras;
  system: boolean;
  uuid?: string;
  /** Params of the message besides the extras (REPLY_ID, CODE, NOTIFY). */
  params?: Record<string, unknown>;
  live: Live;
}

/** Messages edit and delete within three days of posting (imbot.message.update: CANT_EDIT_MESSAGE). */
const EDIT_WINDOW_MS = 3 * 24 * 3600 * 1000;

/** Work to do once a transaction has committed: caches, Push & Pull, typing. */
interface Aftermath {
  chats: Set<number>;
  deliveries: Delivery[];
  stopTyping: { place: TypingPlace; userId: number }[];
  startTyping: StartTyping[];
}

const emptyAftermath = (): Aftermath => ({ chats: new Set(), deliveries: [], stopTyping: [], startTyping: [] });

function typingPlace(chat: ChatRow, memberIds: number[]): TypingPlace {
  if (chat.type !== 'P') return { kind: 'chat', chatId: chat.id };
  return { kind: 'private', userA: memberIds[0], userB: memberIds[1] ?? memberIds[0] };
}

function hasHandler(bot: Participant['bot'], name: HandlerName): boolean {
  return Boolean(bot?.handlers?.[name]);
}

/** A person as the im module's system notices name one. */
function mention(user: UserRow): string {
  return `[USER=${user.id} REPLACE]${fullName(user)}[/USER]`;
}

/** A colour as the notices word it: LIGHT_BLUE → "Light blue". */
function colorWord(color: string): string {
  return color.charAt(0) + color.slice(1).toLowerCase().replaceAll('_', ' ');
}

/**
 * Messages and the chats they live in, as people and bots change them: every change stores its rows, emits the bot
 * events it fires inside the same transaction (b24restdocs …/chat-bots/outdated/…/events), and once committed
 * publishes what the Bitrix24 messenger publishes (messenger-pull.ts), ends the author's "typing…", and shows
 * "typing…" for TYPE=H bots that were just given something to answer (docs/decisions.md).
 */
export class Messenger {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly hub: Hub,
    private readonly users: Users,
    private readonly chats: Chats,
    private readonly typing: Typing,
    private readonly events: EventSink,
    private readonly commands: Commands,
  ) {}

  /** The chat of a resolved dialog: a private one named by the person is opened on first use (openPrivate). */
  async chatOf(viewer: UserRow, dialog: Dialog): Promise<ChatRow> {
    if (dialog.kind === 'chat') return dialog.chat;
    return dialog.chat ?? this.openPrivate(viewer, dialog.peer);
  }

  /** A message by id. */
  get(id: number): Promise<MessageRow | undefined> {
    return this.db.one<MessageRow>('SELECT * FROM messages WHERE id = $1', [id]);
  }

  /**
   * A message its author may still change: theirs, not deleted, posted within three days (by the injected clock),
   * in a chat the author is still in. Undefined → CANT_EDIT_MESSAGE.
   */
  async editable(authorId: number, messageId: number): Promise<MessageRow | undefined> {
    const message = await this.get(messageId);
    if (!message || message.author_id !== authorId || message.deleted) return undefined;
    if (message.created_at.getTime() + EDIT_WINDOW_MS < this.clock.now()) return undefined;
    return (await this.chats.isMember(message.chat_id, authorId)) ? message : undefined;
  }

  /** A message in a chat the user is a member of (likes, replies, command answers). */
  async visible(userId: number, messageId: number): Promise<MessageRow | undefined> {
    const message = await this.get(messageId);
    if (!message) return undefined;
    const member = await this.chats.member(message.chat_id, userId);
    return member && message.id >= member.start_id ? message : undefined;
  }

  /** Stores and announces a new message; returns it. */
  async send(input: SendInput): Promise<MessageRow> {
    const after = emptyAftermath();
    const message = await this.db.tx((tx) => this.sendIn(tx, input, after));
    this.finish(after);
    return message;
  }

  /**
   * The private dialog of two people, created on first use. Creating one between a person and a bot tells the bot
   * (ONIMBOTJOINCHAT: "a user opens a private dialog with it", or the bot writes first, as the im module does).
   */
  async openPrivate(viewer: UserRow, peer: UserRow): Promise<ChatRow> {
    const existing = await this.chats.findPrivate(viewer.id, peer.id);
    if (existing) return existing;
    const after = emptyAftermath();
    const chat = await this.db.tx((tx) => this.openPrivateIn(tx, viewer, peer, after));
    this.finish(after);
    return chat;
  }

  /**
   * Changes a message: new text (`markEdited` sets IS_EDITED) and/or extras. An empty text deletes it instead
   * (imbot.message.update). A new text tells the bots that saw the message (ONIMBOTMESSAGEUPDATE).
   */
  async edit(input: {
    message: MessageRow;
    text?: string;
    extras: MessageExtras;
    markEdited: boolean;
    live: Live;
  }): Promise<void> {
    if (input.text !== undefined && normalizeText(input.text) === '') {
      await this.remove({ message: input.message, complete: false, live: input.live });
      return;
    }
    const after = emptyAftermath();
    await this.db.tx(async (tx) => {
      const current = await tx.one<MessageRow>('SELECT * FROM messages WHERE id = $1 FOR UPDATE', [input.message.id]);
      if (!current || current.deleted) throw new ApiError('CANT_EDIT_MESSAGE');
      const params = { ...current.params };
      for (const [key, value] of Object.entries(input.extras)) {
        if (value === null) delete params[key];
        else params[key] = value;
      }
      const text = input.text === undefined ? current.text : limitText(normalizeText(input.text));
      if (input.markEdited) params.IS_EDITED = 'Y';
      const now = new Date(this.clock.now());
      const updated = (await tx.one<MessageRow>(
        'UPDATE messages SET text = $2, params = $3, updated_at = $4 WHERE id = $1 RETURNING *',
        [current.id, text, JSON.stringify(params), now],
      ))!;
      for (const event of messageChanged(current, updated, now)) await this.events.emitUser(tx, event);
      const chat = (await tx.one<ChatRow>('SELECT * FROM chats WHERE id = $1', [updated.chat_id]))!;
      const participants = await this.participants(tx, chat.id);
      if (input.text !== undefined) {
        const about = this.eventMessage(updated, chat, participants, 0);
        await this.emitToBots(tx, 'EVENT_MESSAGE_UPDATE', about, messageUpdateParams(about));
      }
      const scene = await this.scene(chat, participants, input.live);
      after.deliveries.push(...messageUpdatePulls(scene, updated));
    });
    this.finish(after);
  }

  /**
   * Deletes a message: `complete` removes the row, otherwise the message stays as a "deleted" mark. Tells the bots
   * that saw it (ONIMBOTMESSAGEDELETE).
   */
  async remove(input: { message: MessageRow; complete: boolean; live: Live }): Promise<void> {
    const after = emptyAftermath();
    await this.db.tx(async (tx) => {
      const current = await tx.one<MessageRow>('SELECT * FROM messages WHERE id = $1 FOR UPDATE', [input.message.id]);
      if (!current || current.deleted) throw new ApiError('CANT_EDIT_MESSAGE');
      const chat = (await tx.one<ChatRow>('SELECT * FROM chats WHERE id = $1 FOR UPDATE', [current.chat_id]))!;
      const participants = await this.participants(tx, chat.id);
      const about = this.eventMessage(current, chat, participants, 0);
      await this.emitToBots(tx, 'EVENT_MESSAGE_DELETE', about, messageDeleteParams(about, current.created_at));
      const now = new Date(this.clock.now());
      if (input.complete) {
        await tx.query('DELETE FROM messages WHERE id = $1', [current.id]);
        await tx.query(
          `UPDATE chats SET message_count = GREATEST(message_count - 1, 0),
             last_message_id = COALESCE((SELECT max(id) FROM messages WHERE chat_id = $1), 0) WHERE id = $1`,
          [chat.id],
        );
      } else {
        await tx.query('UPDATE messages SET deleted = true, text = $2, params = $3, updated_at = $4 WHERE id = $1', [
          current.id,
          DELETED_TEXT,
          JSON.stringify({ IS_DELETED: 'Y' }),
          now,
        ]);
      }
      await this.events.emitUser(tx, messageDeleted(current, now));
      const counters = await this.counters(tx, chat.id);
      const scene = await this.scene(chat, participants, input.live);
      after.chats.add(chat.id);
      after.deliveries.push(...messageDeletePulls(scene, current, input.complete, counters));
    });
    this.finish(after);
  }

  /**
   * Sets or removes the user's like (`params.LIKE`): `plus`, `minus`, or `auto` (toggle). False when nothing changed
   * (imbot.message.like: WITHOUT_CHANGES).
   */
  async like(userId: number, message: MessageRow, action: 'auto' | 'plus' | 'minus', live: Live): Promise<boolean> {
    const after = emptyAftermath();
    const changed = await this.db.tx(async (tx) => {
      const current = await tx.one<MessageRow>('SELECT * FROM messages WHERE id = $1 FOR UPDATE', [message.id]);
      if (!current) return false;
      const likes = (current.params.LIKE as number[] | undefined) ?? [];
      const has = likes.includes(userId);
      const set = action === 'auto' ? !has : action === 'plus';
      if (set === has) return false;
      const next = set ? [...likes, userId] : likes.filter((id) => id !== userId);
      const params: Record<string, unknown> = { ...current.params, LIKE: next };
      if (!next.length) delete params.LIKE;
      const updated = (await tx.one<MessageRow>('UPDATE messages SET params = $2 WHERE id = $1 RETURNING *', [
        current.id,
        JSON.stringify(params),
      ]))!;
      for (const event of messageChanged(current, updated, new Date(this.clock.now()))) {
        await this.events.emitUser(tx, event);
      }
      const chat = (await tx.one<ChatRow>('SELECT * FROM chats WHERE id = $1', [updated.chat_id]))!;
      const participants = await this.participants(tx, chat.id);
      const scene = await this.scene(chat, participants, live);
      after.deliveries.push(
        ...messageLikePulls(scene, { ...updated, params: { ...updated.params, LIKE: next } }, userId, set),
      );
      // A like of a bot's message: v2 bots are told (ONIMBOTV2REACTIONCHANGE; V2EventSink leaves v1 bots out).
      const author = participants.find((p) => p.user_id === updated.author_id);
      if (author?.bot && author.user_id !== userId) {
        await this.events.emit(tx, reactionEvent(updated, chat, author.user_id, userId, 'like', set));
      }
      return true;
    });
    this.finish(after);
    return changed;
  }

  /**
   * Moves the reader's mark to `upTo` (the last message when absent; never backwards, never past the last
   * message). Returns the mark and the reader's unread counter after it.
   */
  async read(reader: UserRow, chat: ChatRow, upTo: number | undefined, live: Live) {
    const after = emptyAftermath();
    const result = await this.db.tx(async (tx) => {
      const member = await tx.one<{ last_read_id: number; start_id: number }>(
        'SELECT last_read_id, start_id FROM chat_members WHERE chat_id = $1 AND user_id = $2 FOR UPDATE',
        [chat.id, reader.id],
      );
      if (!member) return undefined;
      const last = (await tx.one<{ id: number }>('SELECT last_message_id AS id FROM chats WHERE id = $1', [chat.id]))!
        .id;
      const target = Math.min(upTo ?? last, last);
      let lastId = member.last_read_id;
      if (target > member.last_read_id) {
        const now = new Date(this.clock.now());
        const viewed = await tx.query<{ id: number }>(
          'SELECT id FROM messages WHERE chat_id = $1 AND id > $2 AND id <= $3 AND id >= $4 ORDER BY id',
          [chat.id, member.last_read_id, target, member.start_id],
        );
        await tx.query(
          'UPDATE chat_members SET last_read_id = $3, last_read_at = $4 WHERE chat_id = $1 AND user_id = $2',
          [chat.id, reader.id, target, now],
        );
        lastId = target;
        const counter = (await this.counters(tx, chat.id)).get(reader.id) ?? 0;
        const scene = await this.scene(chat, await this.participants(tx, chat.id), live);
        after.deliveries.push(
          ...readPulls(
            scene,
            reader.id,
            lastId,
            counter,
            viewed.map((v) => v.id),
            now,
          ),
        );
        return { lastId, counter };
      }
      return { lastId, counter: (await this.counters(tx, chat.id)).get(reader.id) ?? 0 };
    });
    this.finish(after);
    return result;
  }

  /**
   * A page of a chat's history as `viewerId` sees it (im.dialog.messages.get): after `firstId` ascending, else the
   * newest (before `lastId`) descending; never before the viewer's first visible message. Without an anchor the
   * page grows by the viewer's unread messages, as the docs say it may.
   */
  async history(viewerId: number, chat: ChatRow, anchor: { firstId?: number; lastId?: number }, limit: number) {
    const member = await this.chats.member(chat.id, viewerId);
    const startId = member?.start_id ?? 0;
    const lastReadId = member ? member.last_read_id : Number.MAX_SAFE_INTEGER;
    if (anchor.firstId !== undefined) {
      const rows = await this.db.query<MessageRow>(
        'SELECT * FROM messages WHERE chat_id = $1 AND id > $2 AND id >= $3 ORDER BY id LIMIT $4',
        [chat.id, anchor.firstId, startId, limit],
      );
      return { messages: rows, lastReadId };
    }
    let size = limit;
    if (anchor.lastId === undefined && member) {
      size += (await this.counters(this.db, chat.id)).get(viewerId) ?? 0;
    }
    const rows = await this.db.query<MessageRow>(
      `SELECT * FROM messages WHERE chat_id = $1 AND id >= $2 AND ($3::bigint = 0 OR id < $3)
       ORDER BY id DESC LIMIT $4`,
      [chat.id, startId, anchor.lastId ?? 0, size],
    );
    return { messages: rows, lastReadId };
  }

  /**
   * A group chat created by a person (im.chat.add) or a bot (imbot.chat.add) with the given members (unknown or
   * inactive users are left out) and an optional first message of the author. Every bot in it is told
   * (ONIMBOTJOINCHAT), a creating bot too, as the im module's GroupChat factory tells each member bot.
   */
  async createChat(input: {
    author: UserRow;
    type: 'C' | 'O';
    title: string;
    description: string;
    color: string;
    /** A path of the avatar store. */
    avatar?: string;
    entityType: string;
    entityId: string;
    users: number[];
    message: string;
    live: Live;
  }): Promise<ChatRow> {
    const after = emptyAftermath();
    const chat = await this.db.tx(async (tx) => {
      const now = new Date(this.clock.now());
      const people = await this.activeUsers(
        tx,
        input.users.filter((id) => id !== input.author.id),
      );
      const created = (await tx.one<ChatRow>(
        `INSERT INTO chats (type, title, description, color, avatar, owner_id, author_id, entity_type, entity_id,
           created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $6, $7, $8, $9) RETURNING *`,
        [
          input.type,
          input.title,
          input.description,
          input.color,
          input.avatar ?? '',
          input.author.id,
          input.entityType,
          input.entityId,
          now,
        ],
      ))!;
      let chat = created;
      if (!chat.title) {
        // Without TITLE the platform names the chat after its members (b24restdocs im.chat.add).
        const title = people.length ? `Chat with ${people.map(fullName).join(', ')}` : `Chat №${chat.id}`;
        chat = (await tx.one<ChatRow>('UPDATE chats SET title = $2 WHERE id = $1 RETURNING *', [chat.id, title]))!;
      }
      const memberIds = [input.author.id, ...people.map((u) => u.id)];
      await tx.query(
        `INSERT INTO chat_members (chat_id, user_id, joined_at) SELECT $1, u, $3 FROM unnest($2::int[]) AS u`,
        [chat.id, memberIds, now],
      );
      for (const event of membersJoined(chat, memberIds, now)) await this.events.emitUser(tx, event);
      await this.botsJoined(tx, chat, [input.author, ...people], input.author, true, after);
      after.chats.add(chat.id);
      const text = normalizeText(input.message);
      if (text) {
        await this.sendIn(
          tx,
          {
            author: input.author,
            byBot: input.author.is_bot,
            target: { kind: 'chat', chat },
            text,
            extras: {},
            system: false,
            live: input.live,
          },
          after,
        );
      }
      return chat;
    });
    this.finish(after);
    return chat;
  }

  /**
   * Adds people to a group chat (im.chat.user.add): already-present, unknown and inactive ids are skipped; returns
   * who was added. With `hideHistory` they see only what comes after. Everyone in the chat gets `chatUserAdd`, the
   * chat gets the platform's "invited" system message, and added bots are told (ONIMBOTJOINCHAT).
   */
  async addMembers(input: {
    actor: UserRow;
    chat: ChatRow;
    userIds: number[];
    hideHistory: boolean;
    live: Live;
  }): Promise<number[]> {
    const after = emptyAftermath();
    const added = await this.db.tx(async (tx) => {
      const chat = (await tx.one<ChatRow>('SELECT * FROM chats WHERE id = $1 FOR UPDATE', [input.chat.id]))!;
      const people = await this.activeUsers(tx, input.userIds);
      // New members have read everything before they came; hidden history starts after the last message.
      const now = new Date(this.clock.now());
      const rows = await tx.query<{ user_id: number }>(
        `INSERT INTO chat_members (chat_id, user_id, start_id, last_read_id, joined_at)
         SELECT $1, u, $3, $4, $5 FROM unnest($2::int[]) AS u ON CONFLICT DO NOTHING RETURNING user_id`,
        [chat.id, people.map((u) => u.id), input.hideHistory ? chat.last_message_id + 1 : 0, chat.last_message_id, now],
      );
      const addedIds = new Set(rows.map((r) => r.user_id));
      for (const event of membersJoined(chat, [...addedIds], now)) await this.events.emitUser(tx, event);
      const joined = people.filter((u) => addedIds.has(u.id));
      if (!joined.length) return [];
      await this.botsJoined(tx, chat, joined, input.actor, !input.hideHistory, after);
      const participants = await this.participants(tx, chat.id);
      const scene = await this.scene(chat, participants, input.live);
      after.chats.add(chat.id);
      after.deliveries.push(...chatUserAddPulls(scene, [...addedIds]));
      const names = joined.map(mention).join(', ');
      await this.sendIn(
        tx,
        {
          author: input.actor,
          byBot: false,
          target: { kind: 'chat', chat },
          text: `${mention(input.actor)} invited ${names} to the chat`,
          extras: {},
          system: true,
          params: { CODE: ['CHAT_JOIN'], NOTIFY: 'N' },
          live: input.live,
        },
        after,
      );
      return [...addedIds];
    });
    this.finish(after);
    return added;
  }

  /**
   * Takes a member out of a group chat (imbot.chat.leave, imbot.chat.user.delete): the chat gets the im module's
   * CHAT_LEAVE notice by `actor` ("left the chat", or "removed … from the chat" when it was someone else), and
   * everyone who was in the chat gets `chatUserLeave` (CIMChat::DeleteUser). False when they were no member.
   */
  async removeMember(input: { actor: UserRow; chat: ChatRow; userId: number; live: Live }): Promise<boolean> {
    const after = emptyAftermath();
    const removed = await this.db.tx(async (tx) => {
      const chat = (await tx.one<ChatRow>('SELECT * FROM chats WHERE id = $1 FOR UPDATE', [input.chat.id]))!;
      const former = (await this.participants(tx, chat.id)).map((p) => p.user_id);
      const rows = await tx.query('DELETE FROM chat_members WHERE chat_id = $1 AND user_id = $2 RETURNING user_id', [
        chat.id,
        input.userId,
      ]);
      if (!rows.length) return false;
      const self = input.userId === input.actor.id;
      const text = self
        ? `${mention(input.actor)} left the chat`
        : `${mention(input.actor)} removed ${mention((await this.users.get(input.userId))!)} from the chat`;
      await this.sendIn(
        tx,
        {
          author: input.actor,
          byBot: input.actor.is_bot,
          target: { kind: 'chat', chat },
          text,
          extras: {},
          system: true,
          params: { CODE: ['CHAT_LEAVE'], NOTIFY: 'N' },
          live: input.live,
        },
        after,
      );
      const scene = await this.scene(chat, await this.participants(tx, chat.id), input.live);
      after.deliveries.push(...chatUserLeavePulls(scene, former, input.userId, self ? '' : text));
      return true;
    });
    this.finish(after);
    return removed;
  }

  /**
   * Changes what a group chat looks like (imbot.chat.updateTitle / updateColor / updateAvatar, imbot.v2.Chat.update);
   * values it already has change nothing. A new title or colour is announced in the chat by a system message of
   * `actor`, as CIMChat::Rename and SetColor post one (b24restdocs chats/chat-update/index.md: "changed the chat
   * color to \"Mint\""); every member gets `chatRename`, `chatChangeColor`, `chatAvatar` or `chatDescription`.
   */
  async updateChat(input: { actor: UserRow; chat: ChatRow; changes: ChatChanges; live: Live }): Promise<void> {
    const { actor } = input;
    const after = emptyAftermath();
    await this.db.tx(async (tx) => {
      const current = (await tx.one<ChatRow>('SELECT * FROM chats WHERE id = $1 FOR UPDATE', [input.chat.id]))!;
      const changes = Object.fromEntries(
        Object.entries(input.changes).filter(
          ([key, value]) =>
            value !== undefined && value !== (key === 'color' ? chatColor(current) : current[key as keyof ChatChanges]),
        ),
      ) as ChatChanges;
      if (!Object.keys(changes).length) return;
      const chat = (await tx.one<ChatRow>(
        `UPDATE chats SET title = COALESCE($2, title), color = COALESCE($3, color), avatar = COALESCE($4, avatar),
           description = COALESCE($5, description) WHERE id = $1 RETURNING *`,
        [
          input.chat.id,
          changes.title ?? null,
          changes.color ?? null,
          changes.avatar ?? null,
          changes.description ?? null,
        ],
      ))!;
      const notices = [
        changes.title === undefined ? '' : `changed the chat name to "${changes.title}"`,
        changes.color === undefined ? '' : `changed the chat color to "${colorWord(changes.color)}"`,
      ];
      for (const notice of notices.filter(Boolean)) {
        await this.sendIn(
          tx,
          {
            author: actor,
            byBot: actor.is_bot,
            target: { kind: 'chat', chat },
            text: `${mention(actor)} ${notice}`,
            extras: {},
            system: true,
            live: input.live,
          },
          after,
        );
      }
      const scene = await this.scene(chat, await this.participants(tx, chat.id), input.live);
      after.chats.add(chat.id);
      after.deliveries.push(...chatUpdatePulls(scene, changes));
    });
    this.finish(after);
  }

  /** Hands a group chat to another member (imbot.chat.setOwner): every member gets `chatOwner`. */
  async setOwner(input: { chat: ChatRow; userId: number; live: Live }): Promise<void> {
    const after = emptyAftermath();
    await this.db.tx(async (tx) => {
      const chat = (await tx.one<ChatRow>('UPDATE chats SET owner_id = $2 WHERE id = $1 RETURNING *', [
        input.chat.id,
        input.userId,
      ]))!;
      const scene = await this.scene(chat, await this.participants(tx, chat.id), input.live);
      after.chats.add(chat.id);
      after.deliveries.push(...chatOwnerPulls(scene));
    });
    this.finish(after);
  }

  /**
   * Grants (true) or revokes (false) manager rights (imbot.chat.setManager, imbot.v2.Chat.Manager.*). Only members
   * are changed, never the owner (CIMChat::SetManagers); every member gets `chatManagers`, the list after it.
   */
  async setManagers(input: { chat: ChatRow; managers: Map<number, boolean>; live: Live }): Promise<void> {
    const after = emptyAftermath();
    await this.db.tx(async (tx) => {
      const chat = (await tx.one<ChatRow>('SELECT * FROM chats WHERE id = $1 FOR UPDATE', [input.chat.id]))!;
      await tx.query(
        `UPDATE chat_members m SET is_manager = t.flag FROM unnest($2::int[], $3::boolean[]) AS t(user_id, flag)
         WHERE m.chat_id = $1 AND m.user_id = t.user_id AND m.user_id <> $4`,
        [chat.id, [...input.managers.keys()], [...input.managers.values()], chat.owner_id],
      );
      const participants = await this.participants(tx, chat.id);
      const scene = await this.scene(chat, participants, input.live);
      after.deliveries.push(...chatManagersPulls(scene, managerList(chat, participants)));
    });
    this.finish(after);
  }

  /**
   * A keyboard button or menu item that names a bot command, pressed by `user` under `message` (im.message.command):
   * the command runs where a typed one would (the same availability rules), told with COMMAND_CONTEXT `KEYBOARD`
   * and the message's id; nothing is written to the chat. False when the bot has no such command usable there.
   */
  async pressCommand(input: {
    user: UserRow;
    message: MessageRow;
    botId: number;
    command: string;
    params: string;
    live: Live;
  }): Promise<boolean> {
    const after = emptyAftermath();
    const pressed = await this.db.tx(async (tx) => {
      const chat = (await tx.one<ChatRow>('SELECT * FROM chats WHERE id = $1', [input.message.chat_id]))!;
      const participants = await this.participants(tx, chat.id);
      const place = { authorId: input.user.id, chat, participants };
      const command = await this.commands.available(tx, input.botId, input.command, place);
      if (!command) return false;
      const prev = await tx.one<{ id: number | null }>(
        'SELECT max(id) AS id FROM messages WHERE chat_id = $1 AND id < $2',
        [chat.id, input.message.id],
      );
      // The presser acts: DIALOG_ID, FROM_USER_ID and data[USER] name them, as for a command they typed.
      const about = this.eventMessage(
        { ...input.message, author_id: input.user.id },
        chat,
        participants,
        prev?.id ?? 0,
      );
      await this.emitCommands(tx, about, [{ command, params: input.params }], 'KEYBOARD');
      const told = participants.filter((p) => p.user_id === command.bot_id);
      await this.typeForHumanBots(told, chat, participants, after);
      return true;
    });
    this.finish(after);
    return pressed;
  }

  private async sendIn(tx: Db, input: SendInput, after: Aftermath): Promise<MessageRow> {
    const { author, target } = input;
    const chatBefore =
      target.kind === 'private' ? await this.openPrivateIn(tx, author, target.peer, after) : target.chat;
    const prev = await tx.one<{ last_message_id: number }>(
      'SELECT last_message_id FROM chats WHERE id = $1 FOR UPDATE',
      [chatBefore.id],
    );
    if (!prev) throw new ApiError('WRONG_REQUEST', "Chat doesn't exist");
    const now = new Date(this.clock.now());
    const params: Record<string, unknown> = { ...input.params };
    for (const [key, value] of Object.entries(input.extras)) if (value) params[key] = value;
    const message = (await tx.one<MessageRow>(
      `INSERT INTO messages (chat_id, author_id, text, params, system, uuid, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
      [chatBefore.id, author.id, limitText(input.text), JSON.stringify(params), input.system, input.uuid ?? null, now],
    ))!;
    await this.events.emitUser(tx, messageAdded(message));
    const chat = (await tx.one<ChatRow>(
      'UPDATE chats SET last_message_id = $2, message_count = message_count + 1 WHERE id = $1 RETURNING *',
      [chatBefore.id, message.id],
    ))!;
    // Writing marks the dialog read up to one's own message.
    await tx.query('UPDATE chat_members SET last_read_id = $3, last_read_at = $4 WHERE chat_id = $1 AND user_id = $2', [
      chat.id,
      author.id,
      message.id,
      now,
    ]);
    const participants = await this.participants(tx, chat.id);
    const about = this.eventMessage(message, chat, participants, prev.last_message_id);
    // System messages run no commands and tell no bot; bots' own messages neither (im module CIMMessenger::Add).
    if (!input.byBot && !input.system) {
      const calls = await this.commands.matching(tx, {
        text: message.text,
        authorId: author.id,
        chat,
        participants,
      });
      await this.emitCommands(tx, about, calls, 'TEXTAREA');
      // A message that invokes commands goes to their handlers only (im module: onCommandAdd, else onMessageAdd).
      const told = calls.length
        ? participants.filter((p) => calls.some((c) => c.command.bot_id === p.user_id))
        : await this.emitToBots(tx, 'EVENT_MESSAGE_ADD', about, messageAddParams(about));
      await this.typeForHumanBots(told, chat, participants, after);
    }
    const counters = await this.counters(tx, chat.id);
    const scene = await this.scene(chat, participants, input.live);
    after.chats.add(chat.id);
    after.stopTyping.push({ place: typingPlace(chat, scene.memberIds), userId: author.id });
    after.deliveries.push(...newMessagePulls(scene, message, prev.last_message_id, counters));
    return message;
  }

  private async openPrivateIn(tx: Db, viewer: UserRow, peer: UserRow, after: Aftermath): Promise<ChatRow> {
    const key = viewer.id < peer.id ? `${viewer.id}:${peer.id}` : `${peer.id}:${viewer.id}`;
    const existing = await tx.one<ChatRow>('SELECT * FROM chats WHERE private_key = $1', [key]);
    if (existing) return existing;
    const now = new Date(this.clock.now());
    // ON CONFLICT: a concurrent first message may create it meanwhile.
    const created = await tx.one<ChatRow>(
      `INSERT INTO chats (type, private_key, author_id, created_at) VALUES ('P', $1, $2, $3)
       ON CONFLICT (private_key) DO NOTHING RETURNING *`,
      [key, viewer.id, now],
    );
    if (!created) return (await tx.one<ChatRow>('SELECT * FROM chats WHERE private_key = $1', [key]))!;
    await tx.query('INSERT INTO chat_members (chat_id, user_id, joined_at) VALUES ($1, $2, $4), ($1, $3, $4)', [
      created.id,
      viewer.id,
      peer.id,
      now,
    ]);
    after.chats.add(created.id);
    const bot = viewer.is_bot ? viewer : peer;
    const person = viewer.is_bot ? peer : viewer;
    if (bot.is_bot && !person.is_bot) await this.botsJoined(tx, created, [bot], person, true, after);
    return created;
  }

  /** ONIMBOTJOINCHAT for the bots among `joined`, fired by `by`. */
  private async botsJoined(
    tx: Db,
    chat: ChatRow,
    joined: UserRow[],
    by: UserRow,
    accessHistory: boolean,
    after: Aftermath,
  ): Promise<void> {
    const bots = joined.filter((u) => u.is_bot);
    if (!bots.length) return;
    const participants = await this.participants(tx, chat.id);
    const told: Participant[] = [];
    for (const bot of bots) {
      const member = participants.find((p) => p.user_id === bot.id);
      if (!hasHandler(member?.bot ?? null, 'EVENT_WELCOME_MESSAGE')) continue;
      const { params, dialogId } = joinParams(bot.id, chat, by.id, accessHistory);
      await this.events.emit(tx, {
        event: HANDLER_EVENTS.EVENT_WELCOME_MESSAGE,
        botIds: [bot.id],
        params,
        userId: by.id,
        dialogId,
      });
      // A bot that joined by its own act (it created the chat) was given nothing to answer: no "typing…".
      if (bot.id !== by.id) told.push(member!);
    }
    await this.typeForHumanBots(told, chat, participants, after);
  }

  /** ONIMCOMMANDADD, one event per call, to the command's own handler (EVENT_COMMAND_ADD). */
  private async emitCommands(
    tx: Db,
    about: EventMessage,
    calls: CommandCallMatch[],
    context: 'TEXTAREA' | 'KEYBOARD',
  ): Promise<void> {
    for (const call of calls) {
      await this.events.emit(tx, {
        event: 'ONIMCOMMANDADD',
        botIds: [call.command.bot_id],
        params: commandParams(about),
        userId: about.authorId,
        dialogId: botDialogId(about),
        commandId: call.command.id,
        command: {
          command: call.command.command,
          params: call.params,
          context,
          messageId: about.id,
          handler: call.command.handler,
        },
      });
    }
  }

  /** Emits one event for the bots that saw the message and have the handler; returns them. */
  private async emitToBots(
    tx: Db,
    handler: HandlerName,
    about: EventMessage,
    params: Record<string, unknown>,
  ): Promise<Participant[]> {
    const bots = botsForMessage(about).filter((p) => hasHandler(p.bot, handler));
    if (bots.length) {
      await this.events.emit(tx, {
        event: HANDLER_EVENTS[handler],
        botIds: bots.map((p) => p.user_id),
        params,
        userId: about.authorId,
        dialogId: botDialogId(about),
      });
    }
    return bots;
  }

  /** TYPE=H bots show "typing…" while they work on what they were just sent (imbot.register, typing.md). */
  private async typeForHumanBots(
    told: Participant[],
    chat: ChatRow,
    participants: Participant[],
    after: Aftermath,
  ): Promise<void> {
    const humans = told.filter((p) => p.bot?.type === 'H');
    if (!humans.length) return;
    const names = await this.users.getMany(humans.map((p) => p.user_id));
    const memberIds = participants.map((p) => p.user_id);
    for (const bot of humans) {
      after.startTyping.push({
        place: typingPlace(chat, memberIds),
        userId: bot.user_id,
        userName: fullName(names.get(bot.user_id)!),
        participants: memberIds,
      });
    }
  }

  private eventMessage(message: MessageRow, chat: ChatRow, participants: Participant[], prevId: number): EventMessage {
    return {
      id: message.id,
      authorId: message.author_id,
      text: message.text,
      system: message.system,
      uuid: message.uuid,
      chat,
      participants,
      prevId,
    };
  }

  /** Members of a chat in joining order, with the bot each one is. */
  private async participants(db: Db, chatId: number): Promise<Participant[]> {
    const rows = await db.query<Omit<Participant, 'bot'> & { bot_id: number | null } & Partial<BotRow>>(
      `SELECT cm.user_id, cm.is_manager, cm.last_read_id, cm.start_id,
              b.id AS bot_id, b.code, b.type, b.openline, b.handlers, b.app_key
       FROM chat_members cm LEFT JOIN bots b ON b.id = cm.user_id
       WHERE cm.chat_id = $1 ORDER BY cm.joined_at, cm.user_id`,
      [chatId],
    );
    return rows.map((r) => ({
      user_id: r.user_id,
      is_manager: r.is_manager,
      last_read_id: r.last_read_id,
      start_id: r.start_id,
      bot:
        r.bot_id === null
          ? null
          : {
              id: r.bot_id,
              code: r.code!,
              type: r.type!,
              openline: r.openline!,
              handlers: r.handlers!,
              app_key: r.app_key!,
            },
    }));
  }

  /**
   * Each member's unread counter: others' messages after the member's read mark, within the history they see,
   * deleted ones not counted (the same rule as imbot.dialog.get's `counter`).
   */
  private async counters(db: Db, chatId: number): Promise<Map<number, number>> {
    const rows = await db.query<{ user_id: number; counter: number }>(
      `SELECT cm.user_id, count(m.id)::int AS counter FROM chat_members cm
       LEFT JOIN messages m ON m.chat_id = cm.chat_id AND m.id > cm.last_read_id AND m.id >= cm.start_id
         AND m.author_id <> cm.user_id AND NOT m.deleted
       WHERE cm.chat_id = $1 GROUP BY cm.user_id`,
      [chatId],
    );
    return new Map(rows.map((r) => [r.user_id, r.counter]));
  }

  private async activeUsers(db: Db, ids: number[]): Promise<UserRow[]> {
    const unique = [...new Set(ids)];
    if (!unique.length) return [];
    const rows = await db.query<UserRow>('SELECT * FROM users WHERE id = ANY($1) AND active', [unique]);
    return unique.flatMap((id) => rows.filter((r) => r.id === id));
  }

  private async scene(chat: ChatRow, participants: Participant[], live: Live): Promise<PullScene> {
    const memberIds = participants.map((p) => p.user_id);
    const users = await this.users.getMany(memberIds);
    const bots = new Map<number, BotRow>();
    for (const p of participants) if (p.bot) bots.set(p.user_id, p.bot as BotRow);
    return { chat, memberIds, users, bots, origin: live.origin };
  }

  private finish(after: Aftermath): void {
    for (const chatId of after.chats) this.chats.forget(chatId);
    for (const { place, userId } of after.stopTyping) this.typing.stop(place, userId);
    for (const { userId, command } of after.deliveries) this.hub.publish({ users: [userId] }, command);
    for (const start of after.startTyping) this.typing.start(start);
  }
}
