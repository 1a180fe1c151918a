import type { PullCommand } from '../realtime/hub.ts';
import { atom } from '../wire/envelope.ts';
import type { BotRow } from './bots.ts';
import { CHAT_TYPE_WORDS, chatColor } from './chat-rules.ts';
import { type ChatRow, COLORS } from './chats.ts';
import { chatDialogId, dialogIdFor } from './dialog-id.ts';
import { DELETED_TEXT, type MessageRow, messageParamsView } from './im-message-view.ts';
import { imUserView } from './im-user-view.ts';
import type { UserRow } from './user-row.ts';
import { fullName } from './users.ts';
import { messageFile } from './v2-entities.ts';
import type { FileRow } from './v2-files.ts';

// The Push & Pull commands the Bitrix24 messenger sends about messages and members (module `im`), with the
// fields its web client reads (im module `PushFormat`, `Message\Send\Push*Service`, `Message\UpdateService`,
// `CIMMessenger::Delete/Like`, `Chat::sendPushReadSelf/Opponent`, `sendPushUsersAdd`, `CIMChat::DeleteUser/Rename/
// SetColor/SetAvatarId/SetDescription/SetOwner/SetManagers`). One command per recipient:
// in a private dialog each side sees the other as the dialog; counters are the recipient's own.

export interface Delivery {
  userId: number;
  command: PullCommand;
}

/** What the builders need to know about a chat and its people. */
export interface PullScene {
  chat: ChatRow;
  memberIds: number[];
  users: Map<number, UserRow>;
  bots: Map<number, BotRow>;
  /** `https://host:port` avatars are served under. */
  origin: string;
}

const im = (command: string, params: Record<string, unknown>): PullCommand => ({ module_id: 'im', command, params });

function usersMap(scene: PullScene, ids: number[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const id of ids) {
    const user = scene.users.get(id);
    if (user) out[id] = imUserView(user, scene.bots.get(id), scene.origin);
  }
  return out;
}

/** The chat as `messageChat` carries it under `chat[{id}]`. */
function chatEntry(scene: PullScene): Record<string, unknown> {
  const { chat } = scene;
  return {
    id: chat.id,
    parent_chat_id: 0,
    parent_message_id: 0,
    name: chat.title,
    owner: chat.owner_id,
    color: COLORS[chatColor(chat)],
    extranet: false,
    avatar: chat.avatar ? scene.origin + chat.avatar : '',
    type: CHAT_TYPE_WORDS[chat.type],
    entity_type: chat.entity_type,
    entity_id: chat.entity_id,
    entity_data_1: '',
    entity_data_2: '',
    entity_data_3: '',
    mute_list: [],
    date_create: atom(chat.created_at.getTime()),
    message_type: chat.type,
    user_counter: scene.memberIds.length,
  };
}

/** `message` (private dialog) and `messageChat` (group chat) for a new message, to every member. */
export function newMessagePulls(
  scene: PullScene,
  message: MessageRow,
  prevId: number,
  counters: Map<number, number>,
  files: FileRow[],
): Delivery[] {
  const { chat } = scene;
  const isPrivate = chat.type === 'P';
  const recipientId = isPrivate
    ? (scene.memberIds.find((id) => id !== message.author_id) ?? message.author_id)
    : chatDialogId(chat.id);
  const date = atom(message.created_at.getTime());
  const body = {
    id: message.id,
    templateId: message.uuid ?? '',
    templateFileId: '',
    prevId,
    chatId: chat.id,
    senderId: message.author_id,
    recipientId,
    system: message.system ? 'Y' : 'N',
    date,
    text: message.text,
    textLegacy: message.text,
    params: messageParamsView(message),
    counter: 0,
    isImportant: false,
    importantFor: [],
  };
  const shared = isPrivate
    ? {
        chatId: chat.id,
        chat: [],
        lines: null,
        userInChat: [],
        userBlockChat: [],
        users: usersMap(scene, scene.memberIds),
      }
    : {
        chatId: chat.id,
        chat: { [chat.id]: chatEntry(scene) },
        lines: null,
        multidialog: null,
        userInChat: { [chat.id]: scene.memberIds },
        userBlockChat: { [chat.id]: [] },
        users: usersMap(scene, [message.author_id]),
      };
  return scene.memberIds.map((userId) => ({
    userId,
    command: im(isPrivate ? 'message' : 'messageChat', {
      ...shared,
      dialogId: dialogIdFor(scene.chat, userId, scene.memberIds),
      dateLastActivity: date,
      message: body,
      // Keyed by file id, as the im module's CIMDisk::GetFiles answer; `[]` (PHP's empty array) when none.
      files: files.length
        ? Object.fromEntries(files.map((f) => [f.id, messageFile(f, scene.users.get(f.author_id))]))
        : [],
      notify: true,
      counter: counters.get(userId) ?? 0,
    }),
  }));
}

function changeBase(scene: PullScene, message: MessageRow, userId: number): Record<string, unknown> {
  const isPrivate = scene.chat.type === 'P';
  const base: Record<string, unknown> = {
    id: message.id,
    type: isPrivate ? 'private' : 'chat',
    chatId: scene.chat.id,
    dialogId: dialogIdFor(scene.chat, userId, scene.memberIds),
    senderId: message.author_id,
  };
  if (isPrivate) {
    // From the recipient's side: the dialog is the other person, the recipient is "to".
    base.fromUserId = Number(base.dialogId);
    base.toUserId = userId;
  }
  return base;
}

/** `messageUpdate`: new text and params of an edited message. */
export function messageUpdatePulls(scene: PullScene, message: MessageRow): Delivery[] {
  return scene.memberIds.map((userId) => ({
    userId,
    command: im('messageUpdate', {
      ...changeBase(scene, message, userId),
      text: message.text,
      textLegacy: message.text,
      params: messageParamsView(message),
    }),
  }));
}

/** `messageDelete` (a "deleted" mark stays) or `messageDeleteComplete` (gone, with the recipient's counter). */
export function messageDeletePulls(
  scene: PullScene,
  message: MessageRow,
  complete: boolean,
  counters: Map<number, number>,
): Delivery[] {
  return scene.memberIds.map((userId) => ({
    userId,
    command: im(complete ? 'messageDeleteComplete' : 'messageDelete', {
      ...changeBase(scene, message, userId),
      text: DELETED_TEXT,
      params: { IS_DELETED: 'Y', URL_ID: [], FILE_ID: [], KEYBOARD: 'N', ATTACH: [] },
      ...(complete ? { counter: counters.get(userId) ?? 0, unread: false, muted: false } : {}),
    }),
  }));
}

/** `messageLike`: who likes the message now, and whether `likerId` set or removed theirs. */
export function messageLikePulls(scene: PullScene, message: MessageRow, likerId: number, set: boolean): Delivery[] {
  const users = (message.params.LIKE as number[] | undefined) ?? [];
  return scene.memberIds.map((userId) => ({
    userId,
    command: im('messageLike', {
      id: message.id,
      dialogId: dialogIdFor(scene.chat, userId, scene.memberIds),
      chatId: scene.chat.id,
      senderId: likerId,
      set,
      users,
    }),
  }));
}

/**
 * The reader gets `readMessage` (private) or `readMessageChat` with their new counter; the other members get
 * `readMessageOpponent` / `readMessageChatOpponent` saying how far the reader got.
 */
export function readPulls(
  scene: PullScene,
  readerId: number,
  lastId: number,
  counter: number,
  viewed: number[],
  date: Date,
): Delivery[] {
  const isPrivate = scene.chat.type === 'P';
  const reader = scene.users.get(readerId);
  const own: Delivery = {
    userId: readerId,
    command: im(isPrivate ? 'readMessage' : 'readMessageChat', {
      dialogId: dialogIdFor(scene.chat, readerId, scene.memberIds),
      chatId: scene.chat.id,
      lastId,
      counter,
      muted: false,
      unread: false,
      lines: false,
      viewedMessages: viewed,
    }),
  };
  const others = scene.memberIds
    .filter((id) => id !== readerId)
    .map((userId) => ({
      userId,
      command: im(isPrivate ? 'readMessageOpponent' : 'readMessageChatOpponent', {
        dialogId: dialogIdFor(scene.chat, userId, scene.memberIds),
        chatId: scene.chat.id,
        userId: readerId,
        userName: reader ? fullName(reader) : '',
        lastId,
        date: atom(date.getTime()),
        viewedMessages: viewed,
      }),
    }));
  return [own, ...others];
}

/** `chatUserAdd`: to everyone in the chat after the change, the new members included. */
export function chatUserAddPulls(scene: PullScene, added: number[]): Delivery[] {
  const command = im('chatUserAdd', {
    chatId: scene.chat.id,
    dialogId: chatDialogId(scene.chat.id),
    chatTitle: scene.chat.title,
    chatOwner: scene.chat.owner_id,
    chatExtranet: false,
    users: usersMap(scene, added),
    newUsers: added,
    userCount: scene.memberIds.length,
  });
  return scene.memberIds.map((userId) => ({ userId, command }));
}

/**
 * `chatUserLeave` (CIMChat::DeleteUser): to everyone who was in the chat, the one who left included. `message` is
 * the removal notice when someone else removed them, empty when they left themselves.
 */
export function chatUserLeavePulls(scene: PullScene, formerIds: number[], userId: number, message: string): Delivery[] {
  const command = im('chatUserLeave', {
    dialogId: chatDialogId(scene.chat.id),
    chatId: scene.chat.id,
    chatTitle: scene.chat.title,
    userId,
    message,
    userCount: scene.memberIds.length,
  });
  return formerIds.map((id) => ({ userId: id, command }));
}

/** What a chat update changed; each change is its own command. */
export interface ChatChanges {
  title?: string;
  color?: string;
  avatar?: string;
  description?: string;
}

/**
 * The commands of CIMChat::Rename, SetColor, SetAvatarId and SetDescription, to every member: `chatRename` (name),
 * `chatChangeColor` (HEX), `chatAvatar` (absolute URL), `chatDescription`.
 */
export function chatUpdatePulls(scene: PullScene, changes: ChatChanges): Delivery[] {
  const chatId = scene.chat.id;
  const commands: PullCommand[] = [];
  if (changes.title !== undefined) commands.push(im('chatRename', { chatId, name: changes.title }));
  if (changes.color !== undefined) commands.push(im('chatChangeColor', { chatId, color: COLORS[changes.color] }));
  if (changes.avatar !== undefined) {
    commands.push(im('chatAvatar', { chatId, avatar: changes.avatar ? scene.origin + changes.avatar : '' }));
  }
  if (changes.description !== undefined) {
    commands.push(im('chatDescription', { chatId, description: changes.description }));
  }
  return commands.flatMap((command) => scene.memberIds.map((userId) => ({ userId, command })));
}

/** `chatOwner` (CIMChat::SetOwner): the new owner, to every member. */
export function chatOwnerPulls(scene: PullScene): Delivery[] {
  const command = im('chatOwner', {
    dialogId: chatDialogId(scene.chat.id),
    chatId: scene.chat.id,
    userId: scene.chat.owner_id,
  });
  return scene.memberIds.map((userId) => ({ userId, command }));
}

/** `chatManagers` (CIMChat::SetManagers): the whole manager list after the change, the owner included. */
export function chatManagersPulls(scene: PullScene, list: number[]): Delivery[] {
  const command = im('chatManagers', { dialogId: chatDialogId(scene.chat.id), chatId: scene.chat.id, list });
  return scene.memberIds.map((userId) => ({ userId, command }));
}
