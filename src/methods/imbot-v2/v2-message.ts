import type { Bot } from '../../domain/bots.ts';
import type { MessageRow } from '../../domain/im-message-view.ts';
import { v2Settings } from '../../domain/v2-bots.ts';
import { ApiError } from '../../wire/errors.ts';
import type { Services } from '../define.ts';

/** A message in a chat the bot is a member of, from where its history starts; else ACCESS_DENIED. */
export async function memberMessage(services: Services, bot: Bot, messageId: number): Promise<MessageRow> {
  const message = await services.domain.messenger.visible(bot.id, messageId);
  if (!message) throw new ApiError('ACCESS_DENIED', 'Access denied');
  return message;
}

/**
 * Chat.Message.get / getContext: only `supervisor` and `personal` bots read others' messages
 * (BOT_TYPE_NOT_ALLOWED); no such message → MESSAGE_NOT_FOUND; one the bot cannot see → MESSAGE_ACCESS_DENIED.
 */
export async function readableMessage(services: Services, bot: Bot, messageId: number): Promise<MessageRow> {
  if (!['supervisor', 'personal'].includes(v2Settings(bot).type)) throw new ApiError('BOT_TYPE_NOT_ALLOWED');
  const { messenger } = services.domain;
  if (!(await messenger.get(messageId))) throw new ApiError('MESSAGE_NOT_FOUND');
  const message = await messenger.visible(bot.id, messageId);
  if (!message) throw new ApiError('MESSAGE_ACCESS_DENIED');
  return message;
}
