import { MAX_AVATAR_SIDE } from '../../domain/avatars.ts';
import type { Bot } from '../../domain/bots.ts';
import type { ChatRow, MemberRow } from '../../domain/chats.ts';
import { parseDialogId } from '../../domain/dialog-id.ts';
import { dialogView } from '../../domain/dialog-view.ts';
import { readImage } from '../../domain/images.ts';
import type { Domain } from '../../domain/index.ts';
import { v2Chat } from '../../domain/v2-entities.ts';
import { ApiError } from '../../wire/errors.ts';
import type { Services } from '../define.ts';
import { messengerLive } from '../im/messenger-live.ts';
import { fileContent } from '../imbot/file-param.ts';
import { accessDenied } from './v2-bot-context.ts';

/** `chat{N}` the bot is a member of (the chats pages: "for group chats — chat{chatId}"); else ACCESS_DENIED. */
export async function groupChat(
  services: Services,
  bot: Bot,
  dialogId: string,
): Promise<{ chat: ChatRow; member: MemberRow }> {
  const ref = dialogRef(dialogId);
  const chat = ref?.kind === 'chat' ? await services.domain.chats.get(ref.chatId) : undefined;
  const member = chat && chat.type !== 'P' ? await services.domain.chats.member(chat.id, bot.id) : undefined;
  if (!chat || !member) throw accessDenied();
  return { chat, member };
}

/**
 * Any dialog of the bot: a chat it is a member of, or the private dialog with an active person, opened on first
 * use (which tells the bot, as the messenger does). ACCESS_DENIED otherwise.
 */
export async function dialogChat(services: Services, bot: Bot, dialogId: string): Promise<ChatRow> {
  const { domain } = services;
  const ref = dialogRef(dialogId);
  if (ref?.kind === 'user') {
    const peer = ref.userId === bot.id ? undefined : await domain.users.get(ref.userId);
    if (!peer?.active) throw accessDenied();
    return domain.messenger.openPrivate(bot.user, peer, messengerLive(services));
  }
  const chat = ref && (await domain.chats.get(ref.chatId));
  if (!chat || !(await domain.chats.isMember(chat.id, bot.id))) throw accessDenied();
  return chat;
}

function dialogRef(dialogId: string) {
  try {
    return parseDialogId(dialogId);
  } catch (error) {
    if (error instanceof ApiError) return undefined;
    throw error;
  }
}

/** The dialog id the bot uses for a chat: `chat{id}`, or the other person's id in a private one. */
export async function botDialogIdOf(services: Services, bot: Bot, chat: ChatRow): Promise<string> {
  if (chat.type !== 'P') return `chat${chat.id}`;
  const members = await services.domain.chats.members(chat.id);
  return String(members.find((id) => id !== bot.id) ?? bot.id);
}

/**
 * entities.md#chat as the methods answer it, read by the bot: the event fields plus `role`, `permissions`,
 * `muteList` and the fields "only in method responses", in the order of chat-get.md's example.
 */
export async function chatAnswer(services: Services, bot: Bot, chat: ChatRow): Promise<Record<string, unknown>> {
  const origin = new URL(services.portal().clientEndpoint).origin;
  const dialogId = await botDialogIdOf(services, bot, chat);
  const view = await dialogView(services.domain.chats, services.domain.users, {
    chat,
    viewerId: bot.id,
    dialogId,
    origin,
  });
  const { parentChatId, parentMessageId, isNew, textFieldEnabled, backgroundId, ...head } = v2Chat(
    chat,
    dialogId,
    origin,
  );
  const orNull = (id: unknown) => (id ? id : null);
  return {
    ...head,
    role: view.role,
    permissions: view.permissions,
    muteList: view.mute_list,
    parentChatId,
    parentMessageId,
    isNew,
    textFieldEnabled,
    backgroundId,
    dateCreate: view.date_create,
    lastMessageId: orNull(view.last_message_id),
    lastMessageViews: JSON.stringify(view.last_message_views),
    lastId: orNull(view.last_id),
    managerList: view.manager_list,
    markedId: null,
    messageCount: view.message_count,
    public: view.public,
    unreadId: orNull(view.unread_id),
    userCounter: view.user_counter,
  };
}

/** A chat avatar (Base64) stored, or undefined when absent or no image within 5000×5000 (chats pages list no error). */
export async function chatAvatar(domain: Domain, raw: unknown): Promise<string | undefined> {
  if (raw === undefined) return undefined;
  const content = fileContent(raw);
  const image = content && readImage(content);
  if (!image || image.width > MAX_AVATAR_SIDE || image.height > MAX_AVATAR_SIDE) return undefined;
  return domain.avatars.save(content);
}
