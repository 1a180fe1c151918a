import { MAX_AVATAR_SIDE } from '../../domain/avatars.ts';
import type { Bot } from '../../domain/bots.ts';
import type { ChatRow, MemberRow } from '../../domain/chats.ts';
import { dialogView } from '../../domain/dialog-view.ts';
import { readImage } from '../../domain/images.ts';
import type { Domain } from '../../domain/index.ts';
import { v2Chat } from '../../domain/v2-entities.ts';
import type { Services } from '../define.ts';
import { fileContent } from '../imbot/file-param.ts';
import { accessDenied, v2Dialog } from './v2-bot-context.ts';

/** `chat{N}` the bot is a member of (the chats pages: "for group chats — chat{chatId}"); else ACCESS_DENIED. */
export async function groupChat(
  services: Services,
  bot: Bot,
  dialogId: string,
): Promise<{ chat: ChatRow; member: MemberRow }> {
  const dialog = await v2Dialog(services.domain, bot, dialogId);
  const member = dialog.kind === 'chat' && (await services.domain.chats.member(dialog.chat.id, bot.id));
  if (dialog.kind !== 'chat' || !member) throw accessDenied();
  return { chat: dialog.chat, member };
}

/**
 * Any dialog of the bot: a chat it is a member of, or the private dialog with an active person, opened on first
 * use (which tells the bot, as the messenger does). ACCESS_DENIED otherwise.
 */
export async function dialogChat(services: Services, bot: Bot, dialogId: string): Promise<ChatRow> {
  const dialog = await v2Dialog(services.domain, bot, dialogId);
  return services.domain.messenger.chatOf(bot.user, dialog);
}

/**
 * entities.md#chat as the methods answer it, read by the bot: the event fields plus `role`, `permissions`,
 * `muteList` and the fields "only in method responses", in the order of chat-get.md's example.
 */
export async function chatAnswer(services: Services, bot: Bot, chat: ChatRow): Promise<Record<string, unknown>> {
  const origin = new URL(services.portal().clientEndpoint).origin;
  const dialogId = await services.domain.chats.dialogIdOf(chat, bot.id);
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
