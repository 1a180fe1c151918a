import type { Bot } from '../../domain/bots.ts';
import { REACTIONS } from '../../domain/v2-chats.ts';
import { ApiError } from '../../wire/errors.ts';
import type { Services } from '../define.ts';
import { messengerLive } from '../im/messenger-live.ts';
import { memberMessage } from './v2-message.ts';

/**
 * Chat.Message.Reaction.add / delete (b24restdocs chat-bots-v2/imbot.v2/messages/chat-message-reaction-*.md): an
 * unknown code → REACTION_NOT_FOUND; a message outside the bot's chats → ACCESS_DENIED; setting one already set →
 * REACTION_ALREADY_SET, removing one not set changes nothing. `like` is the messenger's like (imbot.message.like).
 */
export async function react(
  services: Services,
  bot: Bot,
  messageId: number,
  reaction: string,
  set: boolean,
): Promise<{ result: true }> {
  if (!REACTIONS.includes(reaction)) throw new ApiError('REACTION_NOT_FOUND');
  const { domain } = services;
  const message = await memberMessage(services, bot, messageId);
  const changed =
    reaction === 'like'
      ? await domain.messenger.like(bot.id, message, set ? 'plus' : 'minus', messengerLive(services))
      : await domain.v2Chats.react(message.id, bot.id, reaction, set);
  if (set && !changed) throw new ApiError('REACTION_ALREADY_SET');
  return { result: true };
}
