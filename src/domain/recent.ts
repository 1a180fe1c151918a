import type { Db } from '../store/db.ts';
import { atom } from '../wire/envelope.ts';
import type { BotRow } from './bots.ts';
import { CHAT_PERMISSIONS, CHAT_TYPE_WORDS, chatColor, managerList, restrictionsOf, roleOf } from './chat-rules.ts';
import { type ChatRow, COLORS, type MemberRow } from './chats.ts';
import { chatDialogId } from './dialog-id.ts';
import type { MessageRow } from './im-message-view.ts';
import { imUserView } from './im-user-view.ts';
import type { Users } from './users.ts';

export interface RecentOptions {
  skipDialog: boolean;
  skipChat: boolean;
  unreadOnly: boolean;
  /** Only dialogs whose last message is older (the previous page's last `date_update`). */
  before?: Date;
  offset: number;
  limit: number;
}

interface RecentRow extends ChatRow {
  member_last_read_id: number;
  member_start_id: number;
  peer_id: number | null;
  counter: number;
  others_read: number | null;
  m_id: number;
  m_author_id: number;
  m_text: string;
  m_params: MessageRow['params'];
  m_created_at: Date;
  m_uuid: string | null;
}

/**
 * The reader's side of the messenger: unread counters per dialog (im.counters.get) and the list of recent dialogs
 * with their last message (im.recent.list). Counters follow one rule everywhere: others' messages after the
 * member's read mark, within the history they see, deleted ones not counted.
 */
export class Recent {
  constructor(
    private readonly db: Db,
    private readonly users: Users,
  ) {}

  /** Non-zero unread counters of a user: group chats by chat id, private dialogs by the other person's id. */
  async counters(userId: number): Promise<{ chats: Map<number, number>; dialogs: Map<number, number> }> {
    const rows = await this.db.query<{ chat_id: number; type: string; peer_id: number | null; counter: number }>(
      `SELECT cm.chat_id, c.type, count(m.id)::int AS counter,
              (SELECT o.user_id FROM chat_members o WHERE o.chat_id = c.id AND o.user_id <> $1 LIMIT 1) AS peer_id
       FROM chat_members cm JOIN chats c ON c.id = cm.chat_id
       JOIN messages m ON m.chat_id = cm.chat_id AND m.id > cm.last_read_id AND m.id >= cm.start_id
         AND m.author_id <> cm.user_id AND NOT m.deleted
       WHERE cm.user_id = $1 GROUP BY cm.chat_id, c.type, c.id ORDER BY cm.chat_id`,
      [userId],
    );
    const chats = new Map<number, number>();
    const dialogs = new Map<number, number>();
    for (const row of rows) {
      if (row.type === 'P') dialogs.set(row.peer_id ?? userId, row.counter);
      else chats.set(row.chat_id, row.counter);
    }
    return { chats, dialogs };
  }

  /**
   * One page of the user's dialogs, newest activity first (b24restdocs api-reference/chats/im-recent-list.md).
   * A dialog is listed once it has a message the user can see.
   */
  async list(userId: number, options: RecentOptions, origin: string) {
    const rows = await this.db.query<RecentRow>(
      `SELECT * FROM (
         SELECT c.*, cm.last_read_id AS member_last_read_id, cm.start_id AS member_start_id,
           (SELECT o.user_id FROM chat_members o WHERE o.chat_id = c.id AND o.user_id <> $1 LIMIT 1) AS peer_id,
           (SELECT count(*)::int FROM messages u WHERE u.chat_id = c.id AND u.id > cm.last_read_id
              AND u.id >= cm.start_id AND u.author_id <> $1 AND NOT u.deleted) AS counter,
           (SELECT max(o.last_read_id) FROM chat_members o WHERE o.chat_id = c.id AND o.user_id <> $1) AS others_read,
           m.id AS m_id, m.author_id AS m_author_id, m.text AS m_text, m.params AS m_params,
           m.created_at AS m_created_at, m.uuid AS m_uuid
         FROM chat_members cm JOIN chats c ON c.id = cm.chat_id
         JOIN LATERAL (SELECT * FROM messages WHERE chat_id = c.id AND id >= cm.start_id ORDER BY id DESC LIMIT 1) m
           ON true
         WHERE cm.user_id = $1
           AND (NOT $2 OR c.type <> 'P') AND (NOT $3 OR c.type = 'P')
           AND ($4::timestamptz IS NULL OR m.created_at < $4)
       ) r
       WHERE (NOT $5 OR r.counter > 0)
       ORDER BY r.m_created_at DESC, r.m_id DESC LIMIT $6 OFFSET $7`,
      [
        userId,
        options.skipDialog,
        options.skipChat,
        options.before ?? null,
        options.unreadOnly,
        options.limit + 1,
        options.offset,
      ],
    );
    const page = rows.slice(0, options.limit);
    const chatIds = page.filter((r) => r.type !== 'P').map((r) => r.id);
    const members = chatIds.length
      ? await this.db.query<MemberRow>('SELECT * FROM chat_members WHERE chat_id = ANY($1)', [chatIds])
      : [];
    const people = await this.users.getMany([
      ...new Set(page.flatMap((r) => [r.m_author_id, r.peer_id ?? 0]).filter((id) => id > 0)),
    ]);
    const bots = new Map<number, BotRow>();
    const botIds = [...people.values()].filter((u) => u.is_bot).map((u) => u.id);
    if (botIds.length) {
      for (const bot of await this.db.query<BotRow>('SELECT * FROM bots WHERE id = ANY($1)', [botIds])) {
        bots.set(bot.id, bot);
      }
    }
    const userView = (id: number) => {
      const user = people.get(id);
      return user ? imUserView(user, bots.get(id), origin) : { id };
    };
    const items = page.map((row) => {
      const date = atom(row.m_created_at.getTime());
      let status = 'received';
      if (row.m_author_id === userId) status = (row.others_read ?? 0) >= row.m_id ? 'read' : 'delivered';
      const message = {
        id: row.m_id,
        text: row.m_text,
        file: false,
        author_id: row.m_author_id,
        attach: Boolean(row.m_params.ATTACH),
        sticker: null,
        date,
        status,
        uuid: row.m_uuid,
      };
      const common = {
        counter: row.counter,
        last_id: row.member_last_read_id,
        pinned: false,
        unread: false,
        has_reminder: false,
        date_update: date,
        date_last_activity: date,
      };
      if (row.type === 'P') {
        const peerId = row.peer_id ?? userId;
        const peer = userView(peerId) as Record<string, unknown>;
        return {
          id: peerId,
          chat_id: row.id,
          type: 'user',
          avatar: { url: peer.avatar ?? '', color: peer.color ?? '' },
          title: peer.name ?? '',
          message,
          ...common,
          user: peer,
          chat: { text_field_enabled: row.text_field_enabled, background_id: null, mute_list: [] },
          options: [],
        };
      }
      const own = members.filter((m) => m.chat_id === row.id);
      const color = COLORS[chatColor(row)];
      const avatar = row.avatar ? origin + row.avatar : '';
      return {
        id: chatDialogId(row.id),
        chat_id: row.id,
        type: 'chat',
        avatar: { url: avatar, color },
        title: row.title,
        message,
        ...common,
        chat: {
          id: row.id,
          parent_chat_id: 0,
          parent_message_id: 0,
          name: row.title,
          owner: row.owner_id,
          extranet: false,
          contains_collaber: false,
          avatar,
          color,
          type: CHAT_TYPE_WORDS[row.type],
          entity_type: row.entity_type,
          entity_id: row.entity_id,
          entity_data_1: '',
          entity_data_2: '',
          entity_data_3: '',
          mute_list: [],
          manager_list: managerList(row, own),
          date_create: atom(row.created_at.getTime()),
          message_type: row.type,
          user_counter: own.length,
          restrictions: restrictionsOf(row),
          role: roleOf(
            row,
            own.find((m) => m.user_id === userId),
          ).toUpperCase(),
          text_field_enabled: row.text_field_enabled,
          background_id: null,
          entity_link: { type: row.entity_type, url: '', id: row.entity_id },
          permissions: { ...CHAT_PERMISSIONS },
          public: '',
        },
        user: userView(row.m_author_id),
        options: [],
      };
    });
    return { items, hasMore: rows.length > options.limit };
  }
}
