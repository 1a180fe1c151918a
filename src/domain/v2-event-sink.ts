import type { Db } from '../store/db.ts';
import { LANGUAGE } from './bot-events.ts';
import type { BotRow } from './bots.ts';
import type { ChatRow } from './chats.ts';
import { dialogIdFor } from './dialog-id.ts';
import type { AppEvent, BotEvent, BotEventName, EventSink, UserEvent } from './events.ts';
import type { PortalInfo } from './identities.ts';
import type { MessageRow } from './im-message-view.ts';
import type { UserRow } from './user-row.ts';
import { v2Settings } from './v2-bots.ts';
import { v2Bot, v2Chat, v2Message, v2User } from './v2-entities.ts';

/** The event a v2 bot receives for each v1 one (b24restdocs chat-bots-v2/migration.md, "Events"). */
export const V2_EVENT_NAMES: Partial<Record<BotEventName, BotEventName>> = {
  ONIMBOTMESSAGEADD: 'ONIMBOTV2MESSAGEADD',
  ONIMBOTMESSAGEUPDATE: 'ONIMBOTV2MESSAGEUPDATE',
  ONIMBOTMESSAGEDELETE: 'ONIMBOTV2MESSAGEDELETE',
  ONIMBOTJOINCHAT: 'ONIMBOTV2JOINCHAT',
  ONIMBOTDELETE: 'ONIMBOTV2DELETE',
  ONIMCOMMANDADD: 'ONIMBOTV2COMMANDADD',
};

/**
 * "A bot receives events only in the format of the API version it was registered through" (migration.md): the
 * messenger fires one event for every bot it concerns; this sink passes it on unchanged for v1 bots and, for v2
 * bots, as the ONIMBOTV2* event with its v2 `data` (camelCase Message, Chat, User; events.md), composed inside the
 * transaction so it shows the message as it was. Both go into the one event log (OutboxEventSink); `bot` is added
 * when the event is read (imbot.v2.Event.get) or sent (a webhook-mode bot's POST to its `webhookUrl`).
 */
export class V2EventSink implements EventSink {
  constructor(
    private readonly inner: EventSink,
    private readonly portal: () => PortalInfo,
  ) {}

  async emit(tx: Db, event: BotEvent): Promise<void> {
    // ONIMBOTV2REACTIONCHANGE has no v1 event: it is fired as such, for v2 bots only.
    const native = event.event.startsWith('ONIMBOTV2');
    const v2Name = native ? event.event : V2_EVENT_NAMES[event.event];
    // One read of the bots for both sinks: the v1 ones go on with their rows.
    const bots = v2Name
      ? ((event.bots as BotRow[] | undefined) ??
        (await tx.query<BotRow>('SELECT * FROM bots WHERE id = ANY($1) ORDER BY id', [event.botIds])))
      : [];
    const v2Bots = bots.filter((b) => b.v2);
    if (!v2Bots.length) return native ? undefined : this.inner.emit(tx, v2Name ? { ...event, bots } : event);
    const v2Ids = new Set(v2Bots.map((b) => b.id));
    const v1Ids = event.botIds.filter((id) => !v2Ids.has(id));
    if (v1Ids.length && !native) {
      await this.inner.emit(tx, { ...event, botIds: v1Ids, bots: bots.filter((b) => !b.v2) });
    }
    const params = await this.data(tx, event, v2Bots);
    const v2Event = { event: v2Name!, params, userId: event.userId, dialogId: event.dialogId };
    // Fetch-mode bots share one row and are never POSTed to; a webhook-mode bot gets its own POST (events.md).
    const fetching = v2Bots.filter((b) => v2Settings(b).eventMode === 'fetch').map((b) => b.id);
    if (fetching.length) await this.inner.emit(tx, { ...v2Event, botIds: fetching });
    for (const bot of v2Bots) {
      const settings = v2Settings(bot);
      if (settings.eventMode !== 'webhook') continue;
      await this.inner.emit(tx, { ...v2Event, botIds: [bot.id], handler: settings.webhookUrl || undefined });
    }
  }

  emitApp(tx: Db, event: AppEvent): Promise<void> {
    return this.inner.emitApp(tx, event);
  }

  emitUser(tx: Db, event: UserEvent): Promise<void> {
    return this.inner.emitUser(tx, event);
  }

  /** The event's `data` without `bot` (events.md), from the v1 params and the rows they name. */
  private async data(tx: Db, event: BotEvent, bots: BotRow[]): Promise<Record<string, unknown>> {
    const p = event.params;
    const origin = new URL(this.portal().clientEndpoint).origin;
    if (event.event === 'ONIMBOTDELETE') {
      // The bot is deleted once this commits: its last state travels with the event.
      return { bot: v2Bot(bots[0]) };
    }
    const user = await this.user(tx, event.userId, origin);
    if (event.event === 'ONIMBOTJOINCHAT') {
      const chat = p.CHAT_ID
        ? await tx.one<ChatRow>('SELECT * FROM chats WHERE id = $1', [Number(p.CHAT_ID)])
        : await tx.one<ChatRow>('SELECT * FROM chats WHERE private_key = $1', [privateKey(bots[0].id, event.userId)]);
      return { dialogId: event.dialogId, chat: chat && v2Chat(chat, event.dialogId, origin), user, language: LANGUAGE };
    }
    const messageId = Number(p.MESSAGE_ID);
    const chatId = Number(p.CHAT_ID ?? p.TO_CHAT_ID);
    const chatRow = await tx.one<ChatRow>('SELECT * FROM chats WHERE id = $1', [chatId]);
    const chat = chatRow && v2Chat(chatRow, event.dialogId, origin);
    if (event.event === 'ONIMBOTMESSAGEDELETE') {
      const author = await this.user(tx, Number(p.AUTHOR_ID), origin);
      return { messageId, chat, user: author, language: LANGUAGE };
    }
    const message = await this.message(tx, messageId);
    if (event.event === 'ONIMBOTV2REACTIONCHANGE') {
      return { reaction: p.REACTION, action: p.ACTION, message, chat, user, language: LANGUAGE };
    }
    if (event.event === 'ONIMCOMMANDADD' && event.command) {
      const command = {
        id: event.commandId ?? 0,
        command: `/${event.command.command}`,
        params: event.command.params,
        context: event.command.context.toLowerCase(),
      };
      return { command, message, chat, user, language: LANGUAGE };
    }
    return { message, chat, user, language: LANGUAGE };
  }

  private async user(tx: Db, id: number, origin: string): Promise<Record<string, unknown> | null> {
    const row = id > 0 ? await tx.one<UserRow>('SELECT * FROM users WHERE id = $1', [id]) : undefined;
    return row ? v2User(row, undefined, origin) : null;
  }

  private async message(tx: Db, id: number): Promise<Record<string, unknown> | null> {
    const row = await tx.one<MessageRow & { viewed: boolean }>(
      `SELECT m.*, EXISTS (SELECT 1 FROM chat_members c WHERE c.chat_id = m.chat_id AND c.user_id <> m.author_id
                           AND c.last_read_id >= m.id) AS viewed
       FROM messages m WHERE m.id = $1`,
      [id],
    );
    if (!row) return null;
    const { viewed, ...message } = row;
    return v2Message(message, viewed);
  }
}

function privateKey(a: number, b: number): string {
  return a < b ? `${a}:${b}` : `${b}:${a}`;
}

/**
 * ONIMBOTV2REACTIONCHANGE for the bot that wrote `message` (events.md#onimbotv2reactionchange): `userId` added or
 * removed `reaction`. The dialog id is the bot's view of the chat.
 */
export function reactionEvent(
  message: MessageRow,
  chat: ChatRow,
  botId: number,
  userId: number,
  reaction: string,
  set: boolean,
): BotEvent {
  return {
    event: 'ONIMBOTV2REACTIONCHANGE',
    botIds: [botId],
    params: {
      MESSAGE_ID: String(message.id),
      CHAT_ID: String(chat.id),
      REACTION: reaction,
      ACTION: set ? 'add' : 'delete',
    },
    userId,
    dialogId: dialogIdFor(chat, botId, [botId, userId]),
  };
}
