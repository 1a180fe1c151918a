import type { Db } from '../store/db.ts';

/** v1 bot events (b24restdocs api-reference/chat-bots/outdated/…/events pages). */
export type BotEventName =
  | 'ONIMBOTMESSAGEADD'
  | 'ONIMBOTMESSAGEUPDATE'
  | 'ONIMBOTMESSAGEDELETE'
  | 'ONIMBOTJOINCHAT'
  | 'ONIMBOTDELETE'
  | 'ONIMCOMMANDADD'
  // What v2 bots receive instead (b24restdocs chat-bots-v2/imbot.v2/events/events.md; src/domain/v2-event-sink.ts)
  | 'ONIMBOTV2MESSAGEADD'
  | 'ONIMBOTV2MESSAGEUPDATE'
  | 'ONIMBOTV2MESSAGEDELETE'
  | 'ONIMBOTV2JOINCHAT'
  | 'ONIMBOTV2DELETE'
  | 'ONIMBOTV2COMMANDADD'
  | 'ONIMBOTV2REACTIONCHANGE'
  | 'ONIMBOTV2CONTEXTGET';

/**
 * One event for one or more bots. The messenger builds `params` (the `data[PARAMS]` of the docs); delivery adds
 * the envelope (`event`, `event_handler_id`, `data[BOT]`, `data[USER]`, `ts`, `auth`).
 */
export interface BotEvent {
  event: BotEventName;
  botIds: number[];
  params: Record<string, unknown>;
  /** The user whose action fired the event: `data[USER]` and the `auth` tokens; 0 = none. */
  userId: number;
  /** Events of one bot in one dialog are delivered in this order. */
  dialogId: string;
  /** ONIMCOMMANDADD: the command whose EVENT_COMMAND_ADD handler receives it. */
  commandId?: number;
  /** ONIMCOMMANDADD: the invocation, sent as `data[COMMAND][commandId]` to `handler`. */
  command?: CommandCall;
  /** ONIMBOTV2*: the one bot's `webhookUrl` in webhook mode (src/domain/v2-event-sink.ts); fetch mode has none. */
  handler?: string;
  /**
   * The whole `bots` rows of `botIds` as this transaction read them, when the caller has them (the sinks read them
   * otherwise; the v2 sink reads more than EventBot's columns).
   */
  bots?: EventBot[];
}

/** What the event log needs of a bot's row: its code, application and v1 handler URLs (by handler name). */
export interface EventBot {
  id: number;
  code: string;
  app_key: string;
  handlers: Partial<Record<string, string>>;
}

/** One invocation of a bot command (b24restdocs …/commands/events/on-im-command-add.md). */
export interface CommandCall {
  /** COMMAND: the command without its slash (`echo`). */
  command: string;
  /** COMMAND_PARAMS: the text after the command. */
  params: string;
  /** COMMAND_CONTEXT: `TEXTAREA` (typed) or `KEYBOARD` (a button). */
  context: string;
  /** MESSAGE_ID: the message that invoked it, for imbot.command.answer. */
  messageId: number;
  /** The command's EVENT_COMMAND_ADD URL. */
  handler: string;
}

/** An application event (`ONAPPTEST` of event.test): to the handlers the application bound with event.bind. */
export interface AppEvent {
  event: string;
  appId: number;
  /** `data` of the POST. */
  data: Record<string, unknown>;
  /** The user whose action fired it: the `auth` tokens; 0 = none. */
  userId: number;
}

/** An im.v2 user event (b24restdocs chat-bots-v2/im.v2/events/): recorded for the chat's subscribed members. */
export interface UserEvent {
  event: 'ONIMV2MESSAGEADD' | 'ONIMV2MESSAGEUPDATE' | 'ONIMV2MESSAGEDELETE' | 'ONIMV2REACTIONCHANGE' | 'ONIMV2JOINCHAT';
  chatId: number;
  /** The message it is about: only members who see it (hidden history) get the event. None: every member. */
  messageId?: number;
  /** The row's data; `userId` names who acted. */
  data: Record<string, unknown> & { userId: number };
  at: Date;
  /** The subscribed members who see it, by id, when the caller has read them (the sink reads them otherwise). */
  subscribers?: number[];
}

/**
 * Where the messenger records events. `emit` runs inside the transaction that stores the change, so an
 * acknowledged message always has its events, and a rolled-back one has none. Emit ONIMBOTDELETE before the bot's
 * row is deleted: delivery reads the bot's application and handler URLs from it.
 */
export interface EventSink {
  emit(tx: Db, event: BotEvent): Promise<void>;
  emitApp(tx: Db, event: AppEvent): Promise<void>;
  /** For each member of the chat subscribed with im.v2.Event.subscribe (a no-op for the others). */
  emitUser(tx: Db, event: UserEvent): Promise<void>;
}

/** Keeps events in memory, in order: for tests, and for a server started without a durable sink. */
export class MemoryEventSink implements EventSink {
  readonly events: BotEvent[] = [];
  readonly appEvents: AppEvent[] = [];
  readonly userEvents: UserEvent[] = [];
  async emit(_tx: Db, event: BotEvent): Promise<void> {
    this.events.push(event);
  }
  async emitApp(_tx: Db, event: AppEvent): Promise<void> {
    this.appEvents.push(event);
  }
  async emitUser(_tx: Db, event: UserEvent): Promise<void> {
    this.userEvents.push(event);
  }
}
