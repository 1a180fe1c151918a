import type { Db } from '../store/db.ts';

/** v1 bot events (b24restdocs api-reference/chat-bots/outdated/…/events pages). */
export type BotEventName =
  | 'ONIMBOTMESSAGEADD'
  | 'ONIMBOTMESSAGEUPDATE'
  | 'ONIMBOTMESSAGEDELETE'
  | 'ONIMBOTJOINCHAT'
  | 'ONIMBOTDELETE'
  | 'ONIMCOMMANDADD';

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
}

/**
 * Where the messenger records events. `emit` runs inside the transaction that stores the change, so an
 * acknowledged message always has its events, and a rolled-back one has none.
 */
export interface EventSink {
  emit(tx: Db, event: BotEvent): Promise<void>;
}

/** Keeps events in memory, in order: for tests, and for a server started without a durable sink. */
export class MemoryEventSink implements EventSink {
  readonly events: BotEvent[] = [];
  async emit(_tx: Db, event: BotEvent): Promise<void> {
    this.events.push(event);
  }
}
