import type { Clock } from '../clock.ts';
import type { Db } from '../store/db.ts';
import type { ChatRow } from './chats.ts';
import type { EventSink } from './events.ts';
import type { MessageRow } from './im-message-view.ts';
import { messageChanged } from './im-v2-user-events.ts';
import { reactionEvent } from './v2-event-sink.ts';

/** How imbot.v2.Chat.User.list may sort (chat-user-list.md `order`). */
export type MemberOrder = 'id' | 'userId' | 'lastSendMessageId';

/** What the v2 chat methods read beyond the messenger's own queries. */
export class V2Chats {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly events: EventSink,
  ) {}

  /**
   * Member ids of a chat: by `id` (who joined first), `userId`, or `lastSendMessageId` (their last message in the
   * chat; members who never wrote count as lowest).
   */
  async memberIds(chatId: number, order: MemberOrder, desc: boolean, limit: number): Promise<number[]> {
    const dir = desc ? 'DESC' : 'ASC';
    const sortBy: Record<MemberOrder, string> = {
      id: `m.joined_at ${dir}, m.user_id ${dir}`,
      userId: `m.user_id ${dir}`,
      lastSendMessageId: `last_sent ${dir} NULLS ${desc ? 'LAST' : 'FIRST'}, m.user_id`,
    };
    const rows = await this.db.query<{ user_id: number }>(
      `SELECT m.user_id,
              (SELECT max(id) FROM messages WHERE chat_id = m.chat_id AND author_id = m.user_id) AS last_sent
       FROM chat_members m WHERE m.chat_id = $1 ORDER BY ${sortBy[order]} LIMIT $2`,
      [chatId, limit],
    );
    return rows.map((r) => r.user_id);
  }

  /** Ids of the messages `userId` has not read yet up to `upTo` (all when absent), within the history they see. */
  async unreadIds(chatId: number, userId: number, upTo: number | undefined): Promise<number[]> {
    const rows = await this.db.query<{ id: number }>(
      `SELECT m.id FROM messages m JOIN chat_members c ON c.chat_id = m.chat_id AND c.user_id = $2
       WHERE m.chat_id = $1 AND m.id > c.last_read_id AND m.id >= c.start_id AND ($3::bigint IS NULL OR m.id <= $3)
       ORDER BY m.id`,
      [chatId, userId, upTo ?? null],
    );
    return rows.map((r) => r.id);
  }

  /**
   * The messages around `centerId` that `start` (the reader's first visible message) lets them see: up to `range`
   * before and after, oldest first, and whether more lie beyond on each side.
   */
  async around(chatId: number, centerId: number, range: number, start: number) {
    const before = await this.db.query<MessageRow>(
      'SELECT * FROM messages WHERE chat_id = $1 AND id < $2 AND id >= $3 ORDER BY id DESC LIMIT $4',
      [chatId, centerId, start, range + 1],
    );
    const rest = await this.db.query<MessageRow>(
      'SELECT * FROM messages WHERE chat_id = $1 AND id >= $2 ORDER BY id LIMIT $3',
      [chatId, centerId, range + 2],
    );
    return {
      messages: [...before.slice(0, range).reverse(), ...rest.slice(0, range + 1)],
      hasPrev: before.length > range,
      hasNext: rest.length > range + 1,
    };
  }

  /**
   * Sets or removes a user's reaction other than `like` (which is the messenger's LIKE) in `params.REACTIONS`
   * (`{code: [userIds]}`), telling the bot that wrote the message; false when nothing changed.
   */
  async react(messageId: number, userId: number, reaction: string, set: boolean): Promise<boolean> {
    return this.db.tx(async (tx) => {
      const row = await tx.one<MessageRow>('SELECT * FROM messages WHERE id = $1 FOR UPDATE', [messageId]);
      if (!row) return false;
      const reactions = { ...((row.params.REACTIONS as Record<string, number[]> | undefined) ?? {}) };
      const users = reactions[reaction] ?? [];
      if (users.includes(userId) === set) return false;
      reactions[reaction] = set ? [...users, userId] : users.filter((id) => id !== userId);
      if (!reactions[reaction].length) delete reactions[reaction];
      const params: Record<string, unknown> = { ...row.params, REACTIONS: reactions };
      if (!Object.keys(reactions).length) delete params.REACTIONS;
      const updated = (await tx.one<MessageRow>('UPDATE messages SET params = $2 WHERE id = $1 RETURNING *', [
        messageId,
        JSON.stringify(params),
      ]))!;
      for (const event of messageChanged(row, updated, new Date(this.clock.now()))) {
        await this.events.emitUser(tx, event);
      }
      const author = await tx.one('SELECT 1 FROM bots WHERE id = $1', [row.author_id]);
      if (author && row.author_id !== userId) {
        const chat = (await tx.one<ChatRow>('SELECT * FROM chats WHERE id = $1', [row.chat_id]))!;
        await this.events.emit(tx, reactionEvent(row, chat, row.author_id, userId, reaction, set));
      }
      return true;
    });
  }
}

/** Reaction codes (b24restdocs chat-bots-v2/imbot.v2/messages/chat-message-reaction-add.md#reactions). */
export const REACTIONS = [
  ...['like', 'dislike', 'faceWithTearsOfJoy', 'redHeart', 'neutralFace', 'fire', 'cry', 'slightlySmilingFace'],
  ...['winkingFace', 'laugh', 'kiss', 'wonder', 'slightlyFrowningFace', 'loudlyCryingFace', 'faceWithStuckOutTongue'],
  ...['faceWithStuckOutTongueAndWinkingEye', 'smilingFaceWithSunglasses', 'confusedFace', 'flushedFace'],
  ...['thinkingFace', 'angry', 'smilingFaceWithHorns', 'faceWithThermometer', 'facepalm', 'poo', 'flexedBiceps'],
  ...['clappingHands', 'raisedHand', 'smilingFaceWithHeartEyes', 'smilingFaceWithHearts', 'pleadingFace'],
  ...['relievedFace', 'foldedHands', 'okHand', 'signHorns', 'loveYouGesture', 'clownFace', 'partyingFace'],
  ...['questionMark', 'exclamationMark', 'lightBulb', 'bomb', 'sleepingSymbol', 'crossMark', 'whiteHeavyCheckMark'],
  ...['eyes', 'handshake', 'hundredPoints'],
];
