import { atom } from '../wire/envelope.ts';
import { LANGUAGE } from './bot-events.ts';
import type { BotRow } from './bots.ts';
import { CHAT_TYPE_WORDS, chatColor } from './chat-rules.ts';
import { type ChatRow, COLORS } from './chats.ts';
import type { MessageRow } from './im-message-view.ts';
import { imUserView } from './im-user-view.ts';
import type { UserRow } from './user-row.ts';
import { fullName } from './users.ts';
import { type BotCounts, v2Settings } from './v2-bots.ts';
import { extensionOf, type FileRow, fileType } from './v2-files.ts';

// The objects of Chatbots 2.0 answers and events (b24restdocs api-reference/chat-bots/chat-bots-v2/entities.md):
// camelCase keys, real booleans, colours as HEX.

/** entities.md#user, in the order of its field table; built on the messenger's own user view. */
export function v2User(user: UserRow, bot: BotRow | undefined, origin: string): Record<string, unknown> {
  const im = imUserView(user, bot, origin);
  return {
    id: user.id,
    active: user.active,
    name: im.name,
    firstName: user.name,
    lastName: user.last_name,
    workPosition: user.work_position,
    color: im.color,
    avatar: im.avatar,
    gender: im.gender,
    birthday: user.personal_birthday,
    extranet: false,
    bot: user.is_bot,
    connector: false,
    externalAuthId: im.external_auth_id,
    status: 'online',
    idle: false,
    lastActivityDate: im.last_activity_date,
    mobileLastDate: false,
    desktopLastDate: false,
    absent: false,
    departments: user.departments,
    phones: false,
    type: user.is_bot ? 'bot' : user.user_type === 'extranet' ? 'extranet' : 'employee',
    website: user.personal_www,
    email: user.email,
  };
}

/**
 * entities.md#bot. The brief (public) format for anyone; `counts` given → the extended one, for the owner only
 * (bot-get.md). `moduleId` is `rest`: every bot here is registered through REST.
 */
export function v2Bot(bot: BotRow, counts?: BotCounts): Record<string, unknown> {
  const settings = v2Settings(bot);
  const brief = {
    id: bot.id,
    code: bot.code,
    type: settings.type,
    isHidden: settings.isHidden,
    isSupportOpenline: settings.isSupportOpenline,
    isReactionsEnabled: settings.isReactionsEnabled,
    backgroundId: settings.backgroundId,
    language: LANGUAGE,
  };
  if (!counts) return brief;
  return { ...brief, moduleId: 'rest', eventMode: settings.eventMode, ...counts };
}

/**
 * entities.md#chat as events carry it: without `role`, `muteList` and `permissions`, which depend on who reads
 * (events.md#chat-in-events), and without the fields "only in method responses". `dialogId` as the reader names the
 * dialog: `chat{id}`, or the other person's id in a private one.
 */
export function v2Chat(chat: ChatRow, dialogId: string, origin: string): Record<string, unknown> {
  return {
    id: chat.id,
    dialogId,
    name: chat.title,
    description: chat.description,
    type: CHAT_TYPE_WORDS[chat.type],
    messageType: chat.type,
    owner: chat.owner_id,
    color: COLORS[chatColor(chat)],
    avatar: chat.avatar ? origin + chat.avatar : '',
    extranet: false,
    containsCollaber: false,
    entityType: chat.entity_type,
    entityId: chat.entity_id,
    entityData1: '',
    entityData2: '',
    entityData3: '',
    entityLink: { type: chat.entity_type, url: '', id: chat.entity_id },
    diskFolderId: null,
    parentChatId: null,
    parentMessageId: null,
    isNew: chat.message_count === 0,
    textFieldEnabled: chat.text_field_enabled ? 'Y' : 'N',
    backgroundId: null,
  };
}

/**
 * entities.md#message. `params` are the message's own (attach, keyboard, …) by their Bitrix24 names; a forwarded
 * message keeps its original's `{id, userId, chatId, date}` as `forward`.
 */
export function v2Message(message: MessageRow, viewedByOthers: boolean): Record<string, unknown> {
  const { FORWARD, ...params } = message.params;
  return {
    id: message.id,
    chatId: message.chat_id,
    authorId: message.author_id,
    date: atom(message.created_at.getTime()),
    text: message.text,
    isSystem: message.system,
    uuid: message.uuid ?? '',
    forward: FORWARD ?? null,
    params,
    viewedByOthers,
  };
}

// The event log keeps `data` as jsonb, which does not keep key order: events are read back with their keys in the
// order the builders above write them, the order of the docs' field tables (entities.md, events.md).
const FIELD_ORDER = {
  event: ['bot', 'dialogId', 'messageId', 'command', 'reaction', 'action', 'message', 'context', 'chat', 'user'],
  message: ['id', 'chatId', 'authorId', 'date', 'text', 'isSystem', 'uuid', 'forward', 'params', 'viewedByOthers'],
  chat: [
    ...['id', 'dialogId', 'name', 'description', 'type', 'messageType', 'owner', 'color', 'avatar', 'extranet'],
    ...['containsCollaber', 'entityType', 'entityId', 'entityData1', 'entityData2', 'entityData3', 'entityLink'],
    ...['diskFolderId', 'parentChatId', 'parentMessageId', 'isNew', 'textFieldEnabled', 'backgroundId'],
  ],
  user: [
    ...['id', 'active', 'name', 'firstName', 'lastName', 'workPosition', 'color', 'avatar', 'gender', 'birthday'],
    ...['extranet', 'bot', 'connector', 'externalAuthId', 'status', 'idle', 'lastActivityDate', 'mobileLastDate'],
    ...['desktopLastDate', 'absent', 'departments', 'phones', 'type', 'website', 'email'],
  ],
  command: ['id', 'command', 'params', 'context'],
};

/** `value` with the keys named in `order` first, in that order; any others after them. */
function inOrder(value: unknown, order: string[]): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  const record = value as Record<string, unknown>;
  const keys = [...order.filter((k) => k in record), ...Object.keys(record).filter((k) => !order.includes(k))];
  return Object.fromEntries(keys.map((k) => [k, record[k]]));
}

/** A logged event's `data` with its keys, and those of its message, chat, user and command, in order. */
export function orderedEventData(data: Record<string, unknown>): Record<string, unknown> {
  const out = inOrder(data, FIELD_ORDER.event) as Record<string, unknown>;
  for (const part of ['message', 'chat', 'user', 'command'] as const) {
    if (part in out) out[part] = inOrder(out[part], FIELD_ORDER[part]);
  }
  return out;
}

/** entities.md#file. */
export function v2File(file: FileRow, author: UserRow | undefined): Record<string, unknown> {
  return {
    id: file.id,
    chatId: file.chat_id,
    date: atom(file.created_at.getTime()),
    type: fileType(file),
    name: file.name,
    extension: extensionOf(file.name),
    size: file.size,
    image: file.width && file.height ? { height: file.height, width: file.width } : false,
    authorId: file.author_id,
    authorName: author ? fullName(author) : '',
    isTranscribable: false,
    isVideoNote: false,
    isVoiceNote: false,
  };
}

/**
 * A file as a message carries it (`files` of im.dialog.messages.get and of the `message` pull): sent, with empty
 * links, since a download link is one-time and im.v2.File.download gives one when the file is opened.
 */
export function messageFile(file: FileRow, author: UserRow | undefined): Record<string, unknown> {
  return { ...v2File(file, author), status: 'done', progress: 100, urlPreview: '', urlShow: '', urlDownload: '' };
}
