import { mentionedIds, stripMentions } from './bb-code.ts';
import type { BotRow } from './bots.ts';
import { chatColor } from './chat-rules.ts';
import type { ChatRow } from './chats.ts';
import { chatDialogId, dialogIdFor } from './dialog-id.ts';

// The `data[PARAMS]` of the v1 bot events, as the event pages show them (b24restdocs
// api-reference/chat-bots/outdated/…/events/*.md): every scalar a string, Y/N flags, ids as decimal strings.

/** A member of the chat a message is in, with the bot it is when it is one. */
export interface Participant {
  user_id: number;
  is_manager: boolean;
  last_read_id: number;
  start_id: number;
  bot: BotRow | null;
  /** Subscribed to im.v2 user events (im.v2.Event.subscribe). */
  subscribed: boolean;
  /** Unread messages (Messenger.counters' rule), when asked for; 0 otherwise. */
  counter: number;
}

/** The message an event is about, and where it is. */
export interface EventMessage {
  id: number;
  authorId: number;
  /** Text as stored, BB-code and mentions included. */
  text: string;
  system: boolean;
  uuid: string | null;
  chat: ChatRow;
  participants: Participant[];
  /** The message before it in the chat (CHAT_PREV_MESSAGE_ID). */
  prevId: number;
}

/** The portal language the events carry (LANGUAGE); b24-local's portal is English. */
export const LANGUAGE = 'en';

const yn = (value: boolean) => (value ? 'Y' : 'N');
const str = (value: number) => String(value);

/** Open-line chats are the ones bound to the LINES entity; only bots with OPENLINE=Y act in them. */
function isOpenLine(chat: ChatRow): boolean {
  return chat.entity_type === 'LINES';
}

/**
 * Bots told about a person's message (and its edits and deletion): in a private dialog the bot it is with; in a
 * group chat the member bots it mentions and every supervisor (TYPE=S); in an open-line chat every member bot with
 * OPENLINE=Y (im module `Bot::getBotsForMessage`). A bot's own messages tell no bot.
 */
export function botsForMessage(message: Pick<EventMessage, 'authorId' | 'text' | 'chat' | 'participants'>) {
  const bots = message.participants.filter((p) => p.bot && p.user_id !== message.authorId);
  if (message.participants.find((p) => p.user_id === message.authorId)?.bot) return [];
  if (message.chat.type === 'P') return bots;
  if (isOpenLine(message.chat)) return bots.filter((p) => p.bot!.openline);
  const mentioned = new Set(mentionedIds(message.text));
  return bots.filter((p) => mentioned.has(p.user_id) || p.bot!.type === 'S');
}

/** The other member of a private dialog (the dialog id a member sees). */
export function companionOf(message: Pick<EventMessage, 'participants'>, userId: number): number {
  return message.participants.find((p) => p.user_id !== userId)?.user_id ?? userId;
}

/**
 * DIALOG_ID as the bots told of a message see it: `chat{id}` in a group chat; in a private one the bot is the
 * author's companion, so it knows the dialog by the author's id.
 */
export function botDialogId(message: Pick<EventMessage, 'chat' | 'authorId' | 'participants'>): string {
  const members = message.participants.map((p) => p.user_id);
  return dialogIdFor(message.chat, companionOf(message, message.authorId), members);
}

function chatFields(message: EventMessage): Record<string, unknown> {
  const { chat } = message;
  const author = message.participants.find((p) => p.user_id === message.authorId);
  return {
    CHAT_ID: str(chat.id),
    CHAT_TITLE: chat.title,
    CHAT_AUTHOR_ID: str(chat.author_id),
    CHAT_TYPE: chat.type,
    CHAT_AVATAR: chat.avatar || '0',
    CHAT_COLOR: chatColor(chat),
    CHAT_ENTITY_TYPE: chat.entity_type,
    CHAT_ENTITY_ID: chat.entity_id,
    CHAT_ENTITY_DATA_1: '',
    CHAT_ENTITY_DATA_2: '',
    CHAT_ENTITY_DATA_3: '',
    CHAT_EXTRANET: 'N',
    CHAT_PREV_MESSAGE_ID: str(message.prevId),
    CHAT_CAN_POST: 'MEMBER',
    RID: str(message.authorId),
    IS_MANAGER: yn(chat.owner_id === message.authorId || Boolean(author?.is_manager)),
  };
}

const DELIVERY_FLAGS = {
  PUSH: 'Y',
  PUSH_IMPORTANT: 'N',
  RECENT_SKIP_AUTHOR: 'N',
  CONVERT: 'N',
  SKIP_COMMAND: 'N',
  SKIP_COUNTER_INCREMENTS: 'N',
  SILENT_CONNECTOR: 'N',
  SKIP_CONNECTOR: 'N',
  IMPORTANT_CONNECTOR: 'N',
  NO_SESSION_OL: 'N',
  FAKE_RELATION: '0',
  SKIP_URL_INDEX: 'N',
};

function mentionFields(text: string): Record<string, unknown> {
  const ids = mentionedIds(text);
  const fields: Record<string, unknown> = {};
  if (ids.length) fields.MENTIONED_LIST = Object.fromEntries(ids.map((id) => [str(id), str(id)]));
  return fields;
}

/** The fields ONIMBOTMESSAGEADD and ONIMCOMMANDADD open with; they differ only in MESSAGE. */
function messageHead(message: EventMessage, text: string): Record<string, unknown> {
  return {
    MESSAGE: text,
    TEMPLATE_ID: message.uuid ?? '',
    MESSAGE_TYPE: message.chat.type,
    FROM_USER_ID: str(message.authorId),
    DIALOG_ID: botDialogId(message),
    TO_CHAT_ID: str(message.chat.id),
    AUTHOR_ID: str(message.authorId),
    SYSTEM: yn(message.system),
  };
}

/** ONIMBOTMESSAGEADD (on-imbot-message-add.md), key order as in its examples. */
export function messageAddParams(message: EventMessage): Record<string, unknown> {
  const { chat } = message;
  const head = messageHead(message, chat.type === 'P' ? message.text : stripMentions(message.text));
  const tail = { COMMAND_CONTEXT: 'TEXTAREA', CHAT_USER_COUNT: str(message.participants.length) };
  if (chat.type === 'P') {
    return {
      ...head,
      TO_USER_ID: str(companionOf(message, message.authorId)),
      ...DELIVERY_FLAGS,
      ...tail,
      PLATFORM_CONTEXT: 'web',
      MESSAGE_ID: str(message.id),
      CHAT_TYPE: chat.type,
      LANGUAGE,
    };
  }
  return {
    ...head,
    ...chatFields(message),
    ...DELIVERY_FLAGS,
    ...tail,
    ...mentionFields(message.text),
    PLATFORM_CONTEXT: 'web',
    MESSAGE_ORIGINAL: message.text,
    TO_USER_ID: str(mentionedIds(message.text)[0] ?? 0),
    MESSAGE_ID: str(message.id),
    LANGUAGE,
  };
}

/**
 * ONIMCOMMANDADD `data[PARAMS]` (on-im-command-add.md): the message fields with the whole text; group chats add
 * CHAT_PARENT_*, and BOT_IN_CHAT (the member bots). The command itself travels in `data[COMMAND]`.
 */
export function commandParams(message: EventMessage): Record<string, unknown> {
  const { chat } = message;
  const head = messageHead(message, message.text);
  // RECENT_ADD sits after PUSH_IMPORTANT, as on-im-command-add.md lists the flags.
  const { PUSH, PUSH_IMPORTANT, ...rest } = DELIVERY_FLAGS;
  const flags = { SKIP_USER_CHECK: 'Y', PUSH, PUSH_IMPORTANT, RECENT_ADD: 'Y', ...rest };
  if (chat.type === 'P') {
    return {
      ...head,
      TO_USER_ID: str(companionOf(message, message.authorId)),
      ...flags,
      MESSAGE_ID: str(message.id),
      CHAT_TYPE: chat.type,
      LANGUAGE,
    };
  }
  const { CHAT_ID, ...chatRest } = chatFields(message);
  const botsInChat = message.participants.filter((p) => p.bot).map((p) => str(p.user_id));
  return {
    ...head,
    CHAT_ID,
    CHAT_PARENT_ID: '0',
    CHAT_PARENT_MID: '0',
    ...chatRest,
    BOT_IN_CHAT: Object.fromEntries(botsInChat.map((id) => [id, id])),
    ...flags,
    MESSAGE_ID: str(message.id),
    LANGUAGE,
  };
}

/** The fields ONIMBOTMESSAGEUPDATE and ONIMBOTMESSAGEDELETE open with; they differ only in MESSAGE. */
function changeHead(message: EventMessage, text: string): Record<string, unknown> {
  const { chat } = message;
  const group = chat.type !== 'P';
  return {
    ID: str(message.id),
    CHAT_ID: str(chat.id),
    AUTHOR_ID: str(message.authorId),
    MESSAGE: text,
    MESSAGE_TYPE: chat.type,
    CHAT_AUTHOR_ID: str(chat.author_id),
    ...(group ? { CHAT_ENTITY_TYPE: chat.entity_type } : {}),
    CHAT_ENTITY_ID: chat.entity_id,
    CHAT_ENTITY_DATA_1: '',
    CHAT_ENTITY_DATA_2: '',
    CHAT_ENTITY_DATA_3: '',
    ...(group ? {} : { FROM_USER_ID: str(message.authorId), TO_USER_ID: str(companionOf(message, message.authorId)) }),
  };
}

/** ONIMBOTMESSAGEUPDATE (on-imbot-message-update.md): the new text, smaller field set. */
export function messageUpdateParams(message: EventMessage): Record<string, unknown> {
  const { chat } = message;
  const group = chat.type !== 'P';
  return {
    ...changeHead(message, group ? stripMentions(message.text) : message.text),
    CHAT_USER_COUNT: str(message.participants.length),
    ...(group ? mentionFields(message.text) : {}),
    // PLATFORM_CONTEXT before MESSAGE_ORIGINAL and TO_USER_ID, as the page's group-chat example has them.
    PLATFORM_CONTEXT: 'web',
    ...(group ? { MESSAGE_ORIGINAL: message.text, TO_USER_ID: str(mentionedIds(message.text)[0] ?? 0) } : {}),
    DIALOG_ID: botDialogId(message),
    MESSAGE_ID: str(message.id),
    CHAT_TYPE: chat.type,
    LANGUAGE,
  };
}

/**
 * ONIMBOTMESSAGEDELETE (on-imbot-message-delete.md): MESSAGE is the placeholder the platform leaves,
 * `Message from MM/DD/YYYY HH:MM:SS has been deleted` with the message's own date.
 */
export function messageDeleteParams(message: EventMessage, createdAt: Date): Record<string, unknown> {
  return {
    ...changeHead(message, `Message from ${usDate(createdAt)} has been deleted`),
    DIALOG_ID: botDialogId(message),
    MESSAGE_ID: str(message.id),
    CHAT_TYPE: message.chat.type,
    LANGUAGE,
  };
}

function usDate(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return (
    `${two(date.getMonth() + 1)}/${two(date.getDate())}/${date.getFullYear()} ` +
    `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`
  );
}

/**
 * ONIMBOTJOINCHAT (on-imbot-join-chat.md). Private: the person opened (or the bot started) a dialog; group: `userId`
 * added the bot, ACCESS_HISTORY `1` when the bot sees the earlier messages.
 */
export function joinParams(
  bot: number,
  chat: ChatRow,
  userId: number,
  accessHistory: boolean,
): { params: Record<string, unknown>; dialogId: string } {
  if (chat.type === 'P') {
    return {
      dialogId: str(userId),
      params: {
        CHAT_TYPE: 'P',
        MESSAGE_TYPE: 'P',
        BOT_ID: str(bot),
        USER_ID: str(userId),
        TO_USER_ID: str(userId),
        FROM_USER_ID: str(bot),
        DIALOG_ID: str(userId),
        LANGUAGE,
      },
    };
  }
  return {
    dialogId: chatDialogId(chat.id),
    params: {
      CHAT_TYPE: chat.type,
      MESSAGE_TYPE: chat.type,
      BOT_ID: str(bot),
      USER_ID: str(userId),
      CHAT_ID: str(chat.id),
      CHAT_AUTHOR_ID: str(chat.author_id),
      CHAT_ENTITY_TYPE: chat.entity_type,
      CHAT_ENTITY_ID: chat.entity_id,
      ACCESS_HISTORY: accessHistory ? '1' : '0',
      DIALOG_ID: chatDialogId(chat.id),
      LANGUAGE,
    },
  };
}
