import type { Clock } from '../clock.ts';
import type { Db } from '../store/db.ts';
import { ApiError } from '../wire/errors.ts';
import { dialogIdFor } from './dialog-id.ts';
import type { EventSink } from './events.ts';
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
  private readonly memberCache = new Map<number, number[]>();
  private readonly chatCache = new Map<number, ChatRow>();

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly events: EventSink,
  ) {}

  async get(id: number): Promise<ChatRow | undefined> {
    const cached = this.chatCache.get(id);
    if (cached) return cached;
    const row = await this.db.one<ChatRow>('SELECT * FROM chats WHERE id = $1', [id]);
    if (row) this.chatCache.set(id, row);
    return row;
  }

  /** The dialog id by which `viewerId` knows the chat (dialogIdFor); only a private chat needs its members. */
  async dialogIdOf(chat: ChatRow, viewerId: number): Promise<string> {
    return dialogIdFor(chat, viewerId, chat.type === 'P' ? await this.members(chat.id) : []);
  }

  /** Member ids, cached: the typing fan-out reads this on every call. */
  async members(chatId: number): Promise<number[]> {
    const cached = this.memberCache.get(chatId);
    if (cached) return cached;
    const rows = await this.db.query<{ user_id: number }>(
      'SELECT user_id FROM chat_members WHERE chat_id = $1 ORDER BY joined_at, user_id',
      [chatId],
    );
    const ids = rows.map((r) => r.user_id);
    this.memberCache.set(chatId, ids);
    return ids;
  }

  async isMember(chatId: number, userId: number): Promise<boolean> {
    return (await this.members(chatId)).includes(userId);
  }

  member(chatId: number, userId: number): Promise<MemberRow | undefined> {
    return this.db.one<MemberRow>('SELECT * FROM chat_members WHERE chat_id = $1 AND user_id = $2', [chatId, userId]);
  }

  async create(input: CreateChatInput): Promise<ChatRow> {
    const users = [...new Set([input.authorId, ...input.users])];
    const chat = await this.db.tx(async (tx) => {
      const existing = await tx.query<{ id: number }>('SELECT id FROM users WHERE id = ANY($1) AND active', [users]);
      if (existing.length !== users.length) throw new ApiError('WRONG_REQUEST', "Chat can't be created");
      const row = await tx.one<ChatRow>(
        `INSERT INTO chats (type, title, description, color, avatar, owner_id, author_id, entity_type, entity_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING *`,
        [
          input.type,
          input.title,
          input.description ?? '',
          input.color ?? '',
          input.avatar ?? '',
          input.ownerId ?? input.authorId,
          input.authorId,
          input.entityType ?? '',
          input.entityId ?? '',
          new Date(this.clock.now()),
        ],
      );
      const now = new Date(this.clock.now());
      await tx.query(
        `INSERT INTO chat_members (chat_id, user_id, joined_at) SELECT $1, u, $3 FROM unnest($2::int[]) AS u`,
        [row!.id, users, now],
      );
      for (const event of membersJoined(row!, users, now)) await this.events.emitUser(tx, event);
      return row!;
    });
    this.chatCache.set(chat.id, chat);
    this.memberCache.set(chat.id, users);
    return chat;
  }

  /** The private dialog of two users, created on first use. */
  async privateChat(a: number, b: number): Promise<ChatRow> {
    const key = a < b ? `${a}:${b}` : `${b}:${a}`;
    const found = await this.db.one<ChatRow>('SELECT * FROM chats WHERE private_key = $1', [key]);
    if (found) return found;
    return this.db.tx(async (tx) => {
      const row = await tx.one<ChatRow>(
        `INSERT INTO chats (type, private_key, author_id, created_at) VALUES ('P', $1, $2, $3)
         ON CONFLICT (private_key) DO UPDATE SET private_key = EXCLUDED.private_key RETURNING *`,
        [key, a, new Date(this.clock.now())],
      );
      await tx.query(
        `INSERT INTO chat_members (chat_id, user_id, joined_at) VALUES ($1, $2, $4), ($1, $3, $4) ON CONFLICT DO NOTHING`,
        [row!.id, a, b, new Date(this.clock.now())],
      );
      this.memberCache.delete(row!.id);
      return row!;
    });
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

  /** Adds users who are not members yet; returns the ids actually added. */
  async addUsers(chatId: number, userIds: number[], hideHistory: boolean): Promise<number[]> {
    const chat = await this.require(chatId);
    const added = await this.db.tx(async (tx) => {
      const existing = await tx.query<{ id: number }>('SELECT id FROM users WHERE id = ANY($1) AND active', [userIds]);
      const ids = existing.map((r) => r.id);
      const startId = hideHistory ? chat.last_message_id + 1 : 0;
      const now = new Date(this.clock.now());
      const rows = await tx.query<{ user_id: number }>(
        `INSERT INTO chat_members (chat_id, user_id, start_id, joined_at)
         SELECT $1, u, $3, $4 FROM unnest($2::int[]) AS u ON CONFLICT DO NOTHING RETURNING user_id`,
        [chatId, ids, startId, now],
      );
      const added = rows.map((r) => r.user_id);
      for (const event of membersJoined(chat, added, now)) await this.events.emitUser(tx, event);
      return added;
    });
    this.memberCache.delete(chatId);
    return added;
  }

  async update(
    chatId: number,
    fields: Partial<Pick<ChatRow, 'title' | 'color' | 'avatar' | 'owner_id' | 'description' | 'text_field_enabled'>>,
  ): Promise<ChatRow> {
    const columns = Object.keys(fields) as (keyof typeof fields)[];
    const row = await this.db.one<ChatRow>(
      `UPDATE chats SET ${columns.map((c, i) => `${c} = $${i + 2}`).join(', ')} WHERE id = $1 RETURNING *`,
      [chatId, ...columns.map((c) => fields[c])],
    );
    if (!row) throw new ApiError('WRONG_REQUEST', "Chat doesn't exist");
    this.chatCache.set(chatId, row);
    return row;
  }

  /** Drops one chat's cached row and members, or every chat's. */
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
   * group chats they owned pass to the longest-standing remaining member. Runs in the caller's transaction; returns
   * the chats touched, to `forget` once it commits.
   */
  async removeFromAll(userId: number, db: Db = this.db): Promise<number[]> {
    const privates = await db.query<{ id: number }>(
      `DELETE FROM chats WHERE type = 'P' AND id IN (SELECT chat_id FROM chat_members WHERE user_id = $1) RETURNING id`,
      [userId],
    );
    const groups = await db.query<{ id: number }>(
      'DELETE FROM chat_members WHERE user_id = $1 RETURNING chat_id AS id',
      [userId],
    );
    await db.query(
      `UPDATE chats c SET owner_id = COALESCE(
         (SELECT m.user_id FROM chat_members m WHERE m.chat_id = c.id ORDER BY m.joined_at, m.user_id LIMIT 1), 0)
       WHERE c.owner_id = $1`,
      [userId],
    );
    return [...privates, ...groups].map((r) => r.id);
  }

  async require(chatId: number): Promise<ChatRow> {
    const chat = await this.get(chatId);
    if (!chat) throw new ApiError('WRONG_REQUEST', "Chat doesn't exist");
    return chat;
  }
}
