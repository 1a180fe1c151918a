import { ApiError } from '../../wire/errors.ts';
import { p } from '../../wire/params/coerce.ts';
import { messengerLive } from '../im/messenger-live.ts';
import { accessDenied, defineBotMethod } from './v2-bot-context.ts';
import { dialogChat } from './v2-chat.ts';

/**
 * b24restdocs chat-bots-v2/imbot.v2/messages/chat-message-read.md: the bot reads a dialog up to `messageId` (all
 * when absent); a message not in that dialog → MESSAGE_NOT_FOUND. Answers the read mark, the unread counter left,
 * and the messages this call marked read.
 */
export default defineBotMethod({
  name: 'imbot.v2.Chat.Message.read',
  args: { dialogId: p.string(), messageId: p.int().optional() },
  async handler({ bot, args }, services) {
    const { domain } = services;
    const chat = await dialogChat(services, bot, args.dialogId);
    if (args.messageId !== undefined) {
      const message = await domain.messenger.visible(bot.id, args.messageId);
      if (!message || message.chat_id !== chat.id) throw new ApiError('MESSAGE_NOT_FOUND');
    }
    const viewed = await domain.v2Chats.unreadIds(chat.id, bot.id, args.messageId);
    const read = await domain.messenger.read(bot.user, chat, args.messageId, messengerLive(services));
    if (!read) throw accessDenied();
    return { chatId: chat.id, lastId: read.lastId, counter: read.counter, viewedMessages: viewed };
  },
});
