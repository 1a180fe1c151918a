import type { Clock } from '../clock.ts';
import type { CacheBus, SharedCache } from '../store/cache-bus.ts';
import type { Db } from '../store/db.ts';
import { ApiError } from '../wire/errors.ts';
import type { MaybePromise } from '../wire/maybe-promise.ts';
import { dialogIdFor } from './dialog-id.ts';
import type { EventSink } from './events.ts';
import type { MessageRow } from './im-message-view.ts';
import { membersJoined } from './im-v2-user-events.ts';

/** The 16 chat colours (b24restdocs imbot.chat.updateColor); read back as HEX in dialog views. */
export const COLORS: Record<string, string> = {
  RED: '#df532d',
  GREEN: '#29a8a3',
  MINT: '#4ba984',
  LIGHT_BLUE: '#4ba5c3',
  DARK_BLUE: '#3e99ce',
  PURPLE: '#9f70a8',
  AQUA: '#0cb6a1',
  PINK: '#f76187',
  LIME: '#7fa800',
  BROWN: '#ab7761',
  AZURE: '#1a97c2',
  KHAKI: '#808000',
  SAND: '#c59b43',
  MARENGO: '#4c6470',
  GRAY: '#6e7a87',
  GRAPHITE: '#3a3b42',
};

export interface ChatRow {
  id: number;
  type: 'P' | 'C' | 'O';
  title: string;
  description: string;
  color: string;
  avatar: string;
  owner_id: number;
  author_id: number;
  entity_type: string;
  entity_id: string;
  private_key: string | null;
  text_field_enabled: boolean;
  last_message_id: number;
  message_count: number;
  created_at: Date;
}

export interface MemberRow {
  chat_id: number;
  user_id: number;
  is_manager: boolean;
  last_read_id: number;
  /** When the member last moved its read mark; null before the first read. */
  last_read_at: Date | null;
  start_id: number;
  joined_at: Date;
}

/** A message to store (Chats.addMessage): the text as stored, the params as JSON. */
export interface NewMessage {
  authorId: number;
  text: string;
  params: Record<string, unknown>;
  system: boolean;
  uuid: string | null;
  at: Date;
}

export interface AddedMessage {
  message: MessageRow;
  /** The chat's row after the message. */
  chat: ChatRow;
  /** The chat's last message before this one (0: none). */
  prevId: number;
}

export interface CreateChatInput {
  type: 'C' | 'O';
  title: string;
  description?: string;
  color?: string;
  avatar?: string;
  authorId: number;
  ownerId?: number;
  entityType?: string;
  entityId?: string;
  users: number[];
}

export class Chats {
  private readonly memberCache: SharedCache<number, number[]>;
  private readonly chatCache: SharedCache<number, ChatRow>;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly events: EventSink,
    caches: CacheBus,
  ) {
    this.memberCache = caches.cache('chat-members');
    this.chatCache = caches.cache('chats');
  }

  /** At once when cached, else after reading the row. */
  get(id: number): MaybePromise<ChatRow | undefined> {
    return this.chatCache.get(id) ?? this.read(id);
  }

  private async read(id: number): Promise<ChatRow | undefined> {
    const row = await this.db.one<ChatRow>('SELECT * FROM chats WHERE id = $1', [id]);
    if (row) this.chatCache.fill(id, row);
    return row;
  }

  /** The dialog id by which `viewerId` knows the chat (dialogIdFor); only a private chat needs its members. */
  async dialogIdOf(chat: ChatRow, viewerId: number): Promise<string> {
    return dialogIdFor(chat, viewerId, chat.type === 'P' ? await this.members(chat.id) : []);
  }

  /** Member ids, cached: the typing fan-out reads this on every call. */
  members(chatId: number): MaybePromise<number[]> {
    return this.memberCache.get(chatId) ?? this.readMembers(chatId);
  }

  private async readMembers(chatId: number): Promise<number[]> {
    const rows = await this.db.query<{ user_id: number }>(
      'SELECT user_id FROM chat_members WHERE chat_id = $1 ORDER BY joined_at, user_id',
      [chatId],
    );
    const ids = rows.map((r) => r.user_id);
    this.memberCache.fill(chatId, ids);
    return ids;
  }

  async isMember(chatId: number, userId: number): Promise<boolean> {
    return (await this.members(chatId)).includes(userId);
  }

  member(chatId: number, userId: number): Promise<MemberRow | undefined> {
    return this.db.one<MemberRow>('SELECT * FROM chat_members WHERE chat_id = $1 AND user_id = $2', [chatId, userId]);
  }

  /** A chat of existing active users (tests and seeding; the methods go through GroupChats). */
  async create(input: CreateChatInput): Promise<ChatRow> {
    const users = [...new Set([input.authorId, ...input.users])];
    return this.db.tx(async (tx) => {
      const existing = await tx.query<{ id: number }>('SELECT id FROM users WHERE id = ANY($1) AND active', [users]);
      if (existing.length !== users.length) throw new ApiError('WRONG_REQUEST', "Chat can't be created");
      const chat = await this.insert(tx, { ...input, ownerId: input.ownerId ?? input.authorId });
      await this.join(tx, chat, users);
      return chat;
    });
  }

  /** Adds active users who are not members yet (tests and seeding); returns the ids actually added. */
  async addUsers(chatId: number, userIds: number[], hideHistory: boolean): Promise<number[]> {
    const chat = await this.require(chatId);
    return this.db.tx(async (tx) => {
      const existing = await tx.query<{ id: number }>('SELECT id FROM users WHERE id = ANY($1) AND active', [userIds]);
      const startId = hideHistory ? chat.last_message_id + 1 : 0;
      return this.join(
        tx,
        chat,
        existing.map((r) => r.id),
        { startId },
      );
    });
  }

  /** Inserts a group chat's row; its members join with `join`. */
  async insert(db: Db, input: Omit<CreateChatInput, 'users'> & { ownerId: number }): Promise<ChatRow> {
    const chat = (await db.one<ChatRow>(
      `INSERT INTO chats (type, title, description, color, avatar, owner_id, author_id, entity_type, entity_id, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING *`,
      [
        input.type,
        input.title,
        input.description ?? '',
        input.color ?? '',
        input.avatar ?? '',
        input.ownerId,
        input.authorId,
        input.entityType ?? '',
        input.entityId ?? '',
        new Date(this.clock.now()),
      ],
    ))!;
    db.afterCommit(() => this.forget(chat.id));
    return chat;
  }

  /**
   * Adds users (existing and active: the caller checks) who are not members yet; returns the ids actually added
   * (ONIMV2JOINCHAT for each). `startId` hides the history before it; `lastReadId` is where their reading starts.
   */
  async join(db: Db, chat: ChatRow, userIds: number[], from: { startId?: number; lastReadId?: number } = {}) {
    const now = new Date(this.clock.now());
    const rows = await db.query<{ user_id: number }>(
      `INSERT INTO chat_members (chat_id, user_id, start_id, last_read_id, joined_at)
       SELECT $1, u, $3, $4, $5 FROM unnest($2::int[]) AS u ON CONFLICT DO NOTHING RETURNING user_id`,
      [chat.id, userIds, from.startId ?? 0, from.lastReadId ?? 0, now],
    );
    const added = rows.map((r) => r.user_id);
    for (const event of membersJoined(chat, added, now)) await this.events.emitUser(db, event);
    db.afterCommit(() => this.forget(chat.id));
    return added;
  }

  /** Takes a member out of a chat; false when they were none. */
  async leave(db: Db, chatId: number, userId: number): Promise<boolean> {
    const rows = await db.query('DELETE FROM chat_members WHERE chat_id = $1 AND user_id = $2 RETURNING user_id', [
      chatId,
      userId,
    ]);
    db.afterCommit(() => this.forget(chatId));
    return rows.length > 0;
  }

  /** Grants (true) or revokes (false) manager rights of members, never of the owner. */
  async setManagers(db: Db, chat: ChatRow, managers: Map<number, boolean>): Promise<void> {
    await db.query(
      `UPDATE chat_members m SET is_manager = t.flag FROM unnest($2::int[], $3::boolean[]) AS t(user_id, flag)
       WHERE m.chat_id = $1 AND m.user_id = t.user_id AND m.user_id <> $4`,
      [chat.id, [...managers.keys()], [...managers.values()], chat.owner_id],
    );
  }

  /** The chat's row as the transaction sees it; `lock` takes its row lock (FOR UPDATE). */
  row(db: Db, chatId: number, lock = false): Promise<ChatRow | undefined> {
    return db.one<ChatRow>(`SELECT * FROM chats WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [chatId]);
  }

  /**
   * Stores a new message as the chat's last, in one statement (one round trip): the chat's row lock (so a chat's
   * messages are numbered in commit order), the message, the chat's last message and count, and the author's read
   * mark (writing marks the dialog read up to one's own message). Undefined when the chat is gone. `prevId`: the
   * chat's last message before this one. The members do not change, so their cache stays; the cached row is
   * brought forward rather than dropped (the next message in the chat need not read it again).
   */
  async addMessage(db: Db, chatId: number, input: NewMessage): Promise<AddedMessage | undefined> {
    const row = await db.one<ChatRow & { message_id: number; message_params: Record<string, unknown> }>(
      `WITH prev AS (
         SELECT * FROM chats WHERE id = $1 FOR UPDATE
       ), message AS (
         INSERT INTO messages (chat_id, author_id, text, params, system, uuid, created_at)
         SELECT id, $2, $3, $4, $5, $6, $7 FROM prev RETURNING id, chat_id, author_id, params
       ), chat AS (
         UPDATE chats c SET last_message_id = m.id, message_count = c.message_count + 1
         FROM message m WHERE c.id = m.chat_id
       ), mark AS (
         UPDATE chat_members cm SET last_read_id = m.id, last_read_at = $7
         FROM message m WHERE cm.chat_id = m.chat_id AND cm.user_id = m.author_id
       )
       SELECT p.*, m.id AS message_id, m.params AS message_params FROM prev p, message m`,
      [chatId, input.authorId, input.text, JSON.stringify(input.params), input.system, input.uuid, input.at],
    );
    if (!row) return undefined;
    const { message_id: id, message_params: params, ...before } = row;
    // The row as the UPDATE left it: `prev` is the newest version, locked.
    const chat: ChatRow = { ...before, last_message_id: id, message_count: before.message_count + 1 };
    const message: MessageRow = {
      id,
      chat_id: chatId,
      author_id: input.authorId,
      text: input.text,
      params,
      system: input.system,
      deleted: false,
      created_at: input.at,
      updated_at: null,
      uuid: input.uuid,
    };
    db.afterCommit(() => this.advance(chat));
    return { message, chat, prevId: before.last_message_id };
  }

  /**
   * A cached chat row takes a committed message's last id and count, never going back (commits of one chat may be
   * seen here out of order). A row not cached stays so; other nodes drop theirs.
   */
  private advance(chat: ChatRow): void {
    const cached = this.chatCache.get(chat.id);
    if (!cached) this.chatCache.delete(chat.id);
    else if (cached.last_message_id >= chat.last_message_id) this.chatCache.set(chat.id, cached);
    else
      this.chatCache.set(chat.id, {
        ...cached,
        last_message_id: chat.last_message_id,
        message_count: chat.message_count,
      });
  }

  /** A message row was deleted: the count drops and the last message is the newest left. */
  async messageRemoved(db: Db, chatId: number): Promise<void> {
    await db.query(
      `UPDATE chats SET message_count = GREATEST(message_count - 1, 0),
         last_message_id = COALESCE((SELECT max(id) FROM messages WHERE chat_id = $1), 0) WHERE id = $1`,
      [chatId],
    );
    db.afterCommit(() => this.forget(chatId));
  }

  /** A member's read mark and start, locked for moving the mark. */
  readMark(db: Db, chatId: number, userId: number) {
    return db.one<{ last_read_id: number; start_id: number }>(
      'SELECT last_read_id, start_id FROM chat_members WHERE chat_id = $1 AND user_id = $2 FOR UPDATE',
      [chatId, userId],
    );
  }

  async markRead(db: Db, chatId: number, userId: number, upTo: number, at: Date): Promise<void> {
    await db.query('UPDATE chat_members SET last_read_id = $3, last_read_at = $4 WHERE chat_id = $1 AND user_id = $2', [
      chatId,
      userId,
      upTo,
      at,
    ]);
  }

  /** The private dialog of two users, created on first use (no one is told: Messenger.openPrivate tells bots). */
  async privateChat(a: number, b: number): Promise<ChatRow> {
    return (await this.findPrivate(a, b)) ?? (await this.db.tx((tx) => this.openPrivate(tx, a, b))).chat;
  }

  /** The private chat of `a` and `b` in the transaction, created (by `a`) when there is none yet. */
  async openPrivate(db: Db, a: number, b: number): Promise<{ chat: ChatRow; created: boolean }> {
    const key = a < b ? `${a}:${b}` : `${b}:${a}`;
    const existing = await db.one<ChatRow>('SELECT * FROM chats WHERE private_key = $1', [key]);
    if (existing) return { chat: existing, created: false };
    const now = new Date(this.clock.now());
    // ON CONFLICT: a concurrent first message may create it meanwhile.
    const created = await db.one<ChatRow>(
      `INSERT INTO chats (type, private_key, author_id, created_at) VALUES ('P', $1, $2, $3)
       ON CONFLICT (private_key) DO NOTHING RETURNING *`,
      [key, a, now],
    );
    if (!created)
      return { chat: (await db.one<ChatRow>('SELECT * FROM chats WHERE private_key = $1', [key]))!, created: false };
    await db.query('INSERT INTO chat_members (chat_id, user_id, joined_at) VALUES ($1, $2, $4), ($1, $3, $4)', [
      created.id,
      a,
      b,
      now,
    ]);
    db.afterCommit(() => this.forget(created.id));
    return { chat: created, created: true };
  }

  findPrivate(a: number, b: number): Promise<ChatRow | undefined> {
    const key = a < b ? `${a}:${b}` : `${b}:${a}`;
    return this.db.one<ChatRow>('SELECT * FROM chats WHERE private_key = $1', [key]);
  }

  byEntity(entityType: string, entityId: string): Promise<ChatRow | undefined> {
    return this.db.one<ChatRow>(
      'SELECT * FROM chats WHERE entity_type = $1 AND entity_id = $2 AND type <> $3 ORDER BY id LIMIT 1',
      [entityType, entityId, 'P'],
    );
  }

  /** Changes the chat's own fields (those given); its row after. */
  async update(
    chatId: number,
    fields: Partial<Pick<ChatRow, 'title' | 'color' | 'avatar' | 'owner_id' | 'description' | 'text_field_enabled'>>,
    db: Db = this.db,
  ): Promise<ChatRow> {
    const columns = Object.keys(fields) as (keyof typeof fields)[];
    const row = await db.one<ChatRow>(
      `UPDATE chats SET ${columns.map((c, i) => `${c} = $${i + 2}`).join(', ')} WHERE id = $1 RETURNING *`,
      [chatId, ...columns.map((c) => fields[c])],
    );
    if (!row) throw new ApiError('WRONG_REQUEST', "Chat doesn't exist");
    db.afterCommit(() => this.forget(chatId));
    return row;
  }

  /**
   * Drops one chat's cached row and members, or every chat's: after this class's writes commit, after a store
   * reset, and after tests' own SQL.
   */
  forget(chatId?: number): void {
    if (chatId === undefined) {
      this.chatCache.clear();
      this.memberCache.clear();
      return;
    }
    this.chatCache.delete(chatId);
    this.memberCache.delete(chatId);
  }

  /** Every membership row of a chat, in joining order. */
  memberRows(chatId: number): Promise<MemberRow[]> {
    return this.db.query<MemberRow>('SELECT * FROM chat_members WHERE chat_id = $1 ORDER BY joined_at, user_id', [
      chatId,
    ]);
  }

  /** A member's unread messages: others' messages after the last one they read, within the history they see. */
  async unread(member: MemberRow): Promise<{ count: number; firstId: number }> {
    const row = await this.db.one<{ count: number; first_id: number | null }>(
      `SELECT count(*)::int AS count, min(id) AS first_id FROM messages
       WHERE chat_id = $1 AND id > $2 AND id >= $3 AND author_id <> $4 AND NOT deleted`,
      [member.chat_id, member.last_read_id, member.start_id, member.user_id],
    );
    return { count: row?.count ?? 0, firstId: row?.first_id ?? 0 };
  }

  /** How many members other than its author have read up to a message. */
  async viewerCount(chatId: number, messageId: number): Promise<number> {
    if (!messageId) return 0;
    const row = await this.db.one<{ n: number }>(
      `SELECT count(*)::int AS n FROM chat_members
       WHERE chat_id = $1 AND last_read_id >= $2
         AND user_id <> COALESCE((SELECT author_id FROM messages WHERE id = $2), 0)`,
      [chatId, messageId],
    );
    return row?.n ?? 0;
  }

  /**
   * Takes a user out of every chat (bot deletion): their private dialogs are deleted (b24restdocs imbot.unregister),
   * group chats they owned pass to the longest-standing remaining member. Runs in the caller's transaction.
   */
  async removeFromAll(userId: number, db: Db = this.db): Promise<void> {
    const privates = await db.query<{ id: number }>(
      `DELETE FROM chats WHERE type = 'P' AND id IN (SELECT chat_id FROM chat_members WHERE user_id = $1) RETURNING id`,
      [userId],
    );
    const groups = await db.query<{ id: number }>(
      'DELETE FROM chat_members WHERE user_id = $1 RETURNING chat_id AS id',
      [userId],
    );
    const owned = await db.query<{ id: number }>(
      `UPDATE chats c SET owner_id = COALESCE(
         (SELECT m.user_id FROM chat_members m WHERE m.chat_id = c.id ORDER BY m.joined_at, m.user_id LIMIT 1), 0)
       WHERE c.owner_id = $1 RETURNING id`,
      [userId],
    );
    const touched = [...privates, ...groups, ...owned].map((r) => r.id);
    db.afterCommit(() => {
      for (const id of touched) this.forget(id);
    });
  }

  async require(chatId: number): Promise<ChatRow> {
    const chat = await this.get(chatId);
    if (!chat) throw new ApiError('WRONG_REQUEST', "Chat doesn't exist");
    return chat;
  }
}
