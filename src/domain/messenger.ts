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
import type { ChatRow, Chats } from './chats.ts';
import type { CommandCallMatch, Commands } from './commands.ts';
import type { Dialog } from './dialogs.ts';
import type { EventSink } from './events.ts';
import { DELETED_TEXT, type MessageRow } from './im-message-view.ts';
import { messageAdded, messageChanged, messageDeleted } from './im-v2-user-events.ts';
import type { MessageExtras } from './message-extras.ts';
import {
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
import type { FileRow } from './v2-files.ts';

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
  /** Files sent with the message (FILE_ID): their `files` entry in the `message` pull. */
  files?: FileRow[];
  live: Live;
}

/** How long a TEMPLATE_ID keeps a message from being sent again (Bitrix\Im\Message\Uuid::TTL). */
const UUID_TTL_MS = 3600 * 1000;

/**
 * A member's (`cm`) unread counter: others' messages after the member's read mark, within the history they see,
 * deleted ones not counted (the same rule as imbot.dialog.get's `counter`).
 */
const UNREAD = `SELECT count(*)::int FROM messages m WHERE m.chat_id = cm.chat_id AND m.id > cm.last_read_id
  AND m.id >= cm.start_id AND m.author_id <> cm.user_id AND NOT m.deleted`;

/** Messages edit and delete within three days of posting (imbot.message.update: CANT_EDIT_MESSAGE). */
const EDIT_WINDOW_MS = 3 * 24 * 3600 * 1000;

/** Work to do once a transaction has committed: Push & Pull, typing. */
export interface Aftermath {
  deliveries: Delivery[];
  stopTyping: { place: TypingPlace; userId: number }[];
  startTyping: StartTyping[];
}

export const emptyAftermath = (): Aftermath => ({ deliveries: [], stopTyping: [], startTyping: [] });

function typingPlace(chat: ChatRow, memberIds: number[]): TypingPlace {
  if (chat.type !== 'P') return { kind: 'chat', chatId: chat.id };
  return { kind: 'private', userA: memberIds[0], userB: memberIds[1] ?? memberIds[0] };
}

function hasHandler(bot: Participant['bot'], name: HandlerName): boolean {
  return Boolean(bot?.handlers?.[name]);
}

/**
 * Messages, as people and bots write, edit, like, read and delete them (group chats themselves change in
 * GroupChats; the rows of chats and their members are written by Chats): every change stores its rows, emits the
 * bot events it fires inside the same transaction (b24restdocs …/chat-bots/outdated/…/events), and once committed
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

  /**
   * The author's message sent with this TEMPLATE_ID within the last hour (the im module keeps message uuids in
   * b_im_message_uuid with a TTL of 3600 s and inserts them with INSERT IGNORE), so a resend answers the first one.
   */
  byUuid(authorId: number, uuid: string): Promise<MessageRow | undefined> {
    return this.db.one<MessageRow>(
      'SELECT * FROM messages WHERE author_id = $1 AND uuid = $2 AND created_at > $3 ORDER BY id LIMIT 1',
      [authorId, uuid, new Date(this.clock.now() - UUID_TTL_MS)],
    );
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
   * (imbot.message.update). A new text tells the bots that saw the message (ONIMBOTMESSAGEUPDATE). False when the
   * message was deleted since the caller read it (a delete racing this call): the method answers as for a message
   * it cannot edit, in its own error.
   */
  async edit(input: {
    message: MessageRow;
    text?: string;
    extras: MessageExtras;
    markEdited: boolean;
    live: Live;
  }): Promise<boolean> {
    if (input.text !== undefined && normalizeText(input.text) === '') {
      return this.remove({ message: input.message, complete: false, live: input.live });
    }
    const after = emptyAftermath();
    const edited = await this.db.tx(async (tx) => {
      const current = await tx.one<MessageRow>('SELECT * FROM messages WHERE id = $1 FOR UPDATE', [input.message.id]);
      if (!current || current.deleted) return false;
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
      const chat = (await this.chats.row(tx, updated.chat_id))!;
      const participants = await this.participants(tx, chat.id);
      if (input.text !== undefined) {
        const about = this.eventMessage(updated, chat, participants, 0);
        await this.emitToBots(tx, 'EVENT_MESSAGE_UPDATE', about, messageUpdateParams(about));
      }
      const scene = await this.scene(chat, participants, input.live);
      after.deliveries.push(...messageUpdatePulls(scene, updated));
      return true;
    });
    this.finish(after);
    return edited;
  }

  /**
   * Deletes a message: `complete` removes the row, otherwise the message stays as a "deleted" mark. Tells the bots
   * that saw it (ONIMBOTMESSAGEDELETE). False when another call deleted it since the caller read it: the method
   * answers as for a message that was gone, in its own error.
   */
  async remove(input: { message: MessageRow; complete: boolean; live: Live }): Promise<boolean> {
    const after = emptyAftermath();
    const removed = await this.db.tx(async (tx) => {
      const current = await tx.one<MessageRow>('SELECT * FROM messages WHERE id = $1 FOR UPDATE', [input.message.id]);
      if (!current || current.deleted) return false;
      const chat = (await this.chats.row(tx, current.chat_id, true))!;
      const participants = await this.participants(tx, chat.id);
      const about = this.eventMessage(current, chat, participants, 0);
      await this.emitToBots(tx, 'EVENT_MESSAGE_DELETE', about, messageDeleteParams(about, current.created_at));
      const now = new Date(this.clock.now());
      if (input.complete) {
        await tx.query('DELETE FROM messages WHERE id = $1', [current.id]);
        await this.chats.messageRemoved(tx, chat.id);
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
      after.deliveries.push(...messageDeletePulls(scene, current, input.complete, counters));
      return true;
    });
    this.finish(after);
    return removed;
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
      const chat = (await this.chats.row(tx, updated.chat_id))!;
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
      const member = await this.chats.readMark(tx, chat.id, reader.id);
      if (!member) return undefined;
      const last = (await this.chats.row(tx, chat.id))!.last_message_id;
      const target = Math.min(upTo ?? last, last);
      let lastId = member.last_read_id;
      if (target > member.last_read_id) {
        const now = new Date(this.clock.now());
        const viewed = await tx.query<{ id: number }>(
          'SELECT id FROM messages WHERE chat_id = $1 AND id > $2 AND id <= $3 AND id >= $4 ORDER BY id',
          [chat.id, member.last_read_id, target, member.start_id],
        );
        await this.chats.markRead(tx, chat.id, reader.id, target, now);
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
      const chat = (await this.chats.row(tx, input.message.chat_id))!;
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

  /** send() within a transaction of a change (GroupChats posts its notices so); `after` runs once it commits. */
  async sendIn(tx: Db, input: SendInput, after: Aftermath): Promise<MessageRow> {
    const { author, target } = input;
    const chatId =
      target.kind === 'private' ? (await this.openPrivateIn(tx, author, target.peer, after)).id : target.chat.id;
    const params: Record<string, unknown> = { ...input.params };
    for (const [key, value] of Object.entries(input.extras)) if (value) params[key] = value;
    // The message, then the members with their unread counters (the new message counted), bots and subscriptions:
    // the read is sent behind the write without waiting for it (one round trip; it runs after it, under its lock).
    const [added, participants] = await Promise.all([
      this.chats.addMessage(tx, chatId, {
        authorId: author.id,
        text: limitText(input.text),
        params,
        system: input.system,
        uuid: input.uuid ?? null,
        at: new Date(this.clock.now()),
      }),
      this.participants(tx, chatId, true),
    ]);
    if (!added) throw new ApiError('WRONG_REQUEST', "Chat doesn't exist");
    const { message, chat, prevId } = added;
    const subscribers = participants.filter((p) => p.subscribed && p.start_id <= message.id).map((p) => p.user_id);
    await this.events.emitUser(tx, { ...messageAdded(message), subscribers: subscribers.sort((a, b) => a - b) });
    const about = this.eventMessage(message, chat, participants, prevId);
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
    const counters = new Map(participants.map((p) => [p.user_id, p.counter]));
    const scene = await this.scene(chat, participants, input.live);
    after.stopTyping.push({ place: typingPlace(chat, scene.memberIds), userId: author.id });
    after.deliveries.push(...newMessagePulls(scene, message, prevId, counters, input.files ?? []));
    return message;
  }

  private async openPrivateIn(tx: Db, viewer: UserRow, peer: UserRow, after: Aftermath): Promise<ChatRow> {
    const { chat: created, created: isNew } = await this.chats.openPrivate(tx, viewer.id, peer.id);
    if (!isNew) return created;
    const bot = viewer.is_bot ? viewer : peer;
    const person = viewer.is_bot ? peer : viewer;
    if (bot.is_bot && !person.is_bot) await this.botsJoined(tx, created, [bot], person, true, after);
    return created;
  }

  /** ONIMBOTJOINCHAT within a change (GroupChats tells joining bots so). */
  async botsJoined(
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
        bots: bots.map((p) => p.bot!).sort((a, b) => a.id - b.id),
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

  /**
   * Members of a chat in joining order, with the bot row each one is, whether they subscribed to im.v2 user events
   * and, with `counters`, their unread counters (counters' rule), all in one statement.
   */
  async participants(db: Db, chatId: number, counters = false): Promise<Participant[]> {
    const rows = await db.query<Omit<Participant, 'bot'> & Partial<BotRow>>(
      `SELECT cm.user_id, cm.is_manager, cm.last_read_id, cm.start_id, b.*,
              EXISTS (SELECT 1 FROM im_v2_subscriptions s WHERE s.user_id = cm.user_id) AS subscribed,
              ${counters ? `(${UNREAD})` : '0'} AS counter
       FROM chat_members cm LEFT JOIN bots b ON b.id = cm.user_id
       WHERE cm.chat_id = $1 ORDER BY cm.joined_at, cm.user_id`,
      [chatId],
    );
    return rows.map(({ user_id, is_manager, last_read_id, start_id, subscribed, counter, ...bot }) => ({
      user_id,
      is_manager,
      last_read_id,
      start_id,
      bot: bot.id == null ? null : (bot as BotRow),
      subscribed,
      counter,
    }));
  }

  /** Each member's unread counter (UNREAD). */
  private async counters(db: Db, chatId: number): Promise<Map<number, number>> {
    const rows = await db.query<{ user_id: number; counter: number }>(
      `SELECT cm.user_id, (${UNREAD}) AS counter FROM chat_members cm WHERE cm.chat_id = $1`,
      [chatId],
    );
    return new Map(rows.map((r) => [r.user_id, r.counter]));
  }

  /** What the pulls of a change need to know about the chat and its people. */
  async scene(chat: ChatRow, participants: Participant[], live: Live): Promise<PullScene> {
    const memberIds = participants.map((p) => p.user_id);
    const users = await this.users.getMany(memberIds);
    const bots = new Map<number, BotRow>();
    for (const p of participants) if (p.bot) bots.set(p.user_id, p.bot as BotRow);
    return { chat, memberIds, users, bots, origin: live.origin };
  }

  /** Runs a change's aftermath once its transaction has committed. */
  finish(after: Aftermath): void {
    // The change has committed: an unreachable typing store (Redis) must not turn it into a failed call.
    const quiet = (done: unknown) => (done instanceof Promise ? done.catch(() => {}) : undefined);
    for (const { place, userId } of after.stopTyping) quiet(this.typing.stop(place, userId));
    for (const { userId, command } of after.deliveries) this.hub.publish({ users: [userId] }, command);
    for (const start of after.startTyping) quiet(this.typing.start(start));
  }
}
