// The messenger's own shapes, and the one place that reads the REST and Push & Pull answers into them.
// Readers are lenient about key case and number-vs-string ids: im.* answers use snake_case, pull commands camelCase.

import { t } from '../i18n/i18n.ts';

export interface Person {
  id: number;
  name: string;
  bot: boolean;
  color: string;
  avatar: string;
  /** A bot's CODE (imbot.bot.list): tells apart bots of the same name. */
  code?: string;
  /** Gender F (im answers' `gender`, user.get's PERSONAL_GENDER): the notices' Russian verbs agree with it. */
  female?: boolean;
}

export interface Message {
  id: number;
  chatId: number;
  authorId: number;
  /** Unix ms. */
  date: number;
  text: string;
  params: Record<string, any>;
  /** TEMPLATE_ID it was sent with (empty when none): how a pending message recognises its own echo. */
  uuid: string;
  /** A notice of the messenger ("… joined the chat"), shown centred without an author. */
  system: boolean;
}

export interface Dialog {
  /** `N` (a private dialog with user N) or `chatN`. */
  dialogId: string;
  chatId: number;
  title: string;
  color: string;
  avatar: string;
  isChat: boolean;
  isBot: boolean;
  counter: number;
  last: { text: string; authorId: number; date: number } | null;
  /** 0 until im.dialog.get has answered. */
  ownerId: number;
  /** The owner and the managers (im.dialog.get `manager_list`, then `chatManagers`). */
  managers: number[];
  /** How far each other member has read (`readed_list` of im.dialog.get, then `readMessage…Opponent`). */
  readBy: Record<number, number>;
}

const num = (value: unknown): number => (typeof value === 'number' ? value : Number(value ?? 0)) || 0;
const str = (value: unknown): string => (typeof value === 'string' ? value : value == null ? '' : String(value));
const date = (value: unknown): number => (typeof value === 'number' ? value * 1000 : Date.parse(str(value)) || 0);

export function readPerson(raw: any): Person {
  const id = num(raw?.id ?? raw?.ID);
  const name =
    str(raw?.name) ||
    [str(raw?.first_name ?? raw?.NAME), str(raw?.last_name ?? raw?.LAST_NAME)].filter(Boolean).join(' ') ||
    t('messenger.someone', { id });
  return {
    id,
    name,
    bot: raw?.bot === true || raw?.bot === 'Y' || raw?.type === 'bot',
    color: str(raw?.color),
    avatar: str(raw?.avatar),
    code: str(raw?.CODE ?? raw?.code),
    female: (raw?.gender ?? raw?.PERSONAL_GENDER) === 'F',
  };
}

/** `users` of an answer or a pull command: a list, or an object keyed by id. */
export function readPeople(raw: unknown): Person[] {
  if (!raw || typeof raw !== 'object') return [];
  return (Array.isArray(raw) ? raw : Object.values(raw)).map(readPerson).filter((p) => p.id > 0);
}

export function readMessage(raw: any): Message {
  return {
    id: num(raw.id),
    chatId: num(raw.chat_id ?? raw.chatId),
    authorId: num(raw.author_id ?? raw.senderId),
    date: date(raw.date),
    text: str(raw.text),
    params: raw.params && typeof raw.params === 'object' && !Array.isArray(raw.params) ? raw.params : {},
    uuid: str(raw.uuid ?? raw.templateId),
    // im.dialog.messages.get answers system messages with author 0; pull commands say `system: "Y"`.
    system: num(raw.author_id ?? raw.senderId) === 0 || raw.system === 'Y' || raw.system === true,
  };
}

/** One item of im.recent.list. */
export function readRecentItem(raw: any): Dialog {
  const dialogId = str(raw.id);
  const isChat = dialogId.startsWith('chat');
  const message = raw.message && typeof raw.message === 'object' ? raw.message : null;
  return {
    dialogId,
    chatId: num(raw.chat_id),
    title: str(raw.title) || (raw.user ? readPerson(raw.user).name : dialogId),
    color: str(raw.avatar?.color ?? raw.color),
    avatar: str(raw.avatar?.url),
    isChat,
    isBot: !isChat && (raw.user?.bot === true || raw.user?.bot === 'Y'),
    counter: num(raw.counter),
    last: message ? { text: str(message.text), authorId: num(message.author_id), date: date(message.date) } : null,
    ownerId: 0,
    managers: [],
    readBy: {},
  };
}

/** A dialog not yet in the list: a person's private dialog, or a chat by its im.dialog.get answer. */
export function dialogWithPerson(person: Person): Dialog {
  return {
    dialogId: String(person.id),
    chatId: 0,
    title: person.name,
    color: person.color,
    avatar: person.avatar,
    isChat: false,
    isBot: person.bot,
    counter: 0,
    last: null,
    ownerId: 0,
    managers: [],
    readBy: {},
  };
}

export function dialogOfChat(raw: any, dialogId: string): Dialog {
  return {
    dialogId,
    chatId: num(raw.id),
    title: str(raw.name ?? raw.title) || dialogId,
    color: str(raw.color),
    avatar: str(raw.avatar),
    isChat: true,
    isBot: false,
    counter: num(raw.counter),
    last: null,
    ownerId: num(raw.owner),
    managers: readIds(raw.manager_list),
    readBy: readReaders(raw.readed_list),
  };
}

/** `readed_list` of im.dialog.get: each other member and the last message they read. */
export function readReaders(raw: unknown): Record<number, number> {
  const readers: Record<number, number> = {};
  for (const entry of Array.isArray(raw) ? raw : []) readers[num(entry?.user_id)] = num(entry?.message_id);
  return readers;
}

/**
 * Which of my dialogs a `message`/`messageChat` command belongs to: `chatN` for a group chat; in a private dialog
 * the other person's id (the author's, or the recipient's when I wrote it from another tab).
 */
export function dialogOfPull(command: string, params: any, me: number): string {
  const message = params.message ?? {};
  const chatId = num(params.chatId ?? message.chatId);
  if (command === 'messageChat' || str(message.recipientId).startsWith('chat')) return `chat${chatId}`;
  const sender = num(message.senderId);
  const recipient = num(message.recipientId);
  if (sender && recipient) return String(sender === me ? recipient : sender);
  return str(params.dialogId);
}

export const readIds = (raw: unknown): number[] => (Array.isArray(raw) ? raw.map(num).filter((id) => id > 0) : []);

/**
 * Whether `actorId` may take `userId` out of the chat over im.chat.user.delete: only the owner removes someone else
 * (the newest CIMChat::DeleteUser refuses managers too, IM_ERROR_KICK, whatever `manage_users_delete` says).
 */
export function mayRemove(dialog: Dialog, actorId: number, userId: number): boolean {
  return actorId === dialog.ownerId && userId !== actorId;
}

/** Whether a person or bot answers a filter typed in a picker (lower case): by name, or a bot by its CODE. */
export function matches(person: Person, needle: string): boolean {
  return !needle || person.name.toLowerCase().includes(needle) || !!person.code?.toLowerCase().includes(needle);
}
