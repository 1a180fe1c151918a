import { roleOf } from '../../domain/chat-rules.ts';
import { p } from '../../wire/params/coerce.ts';
import { messengerLive } from '../im/messenger-live.ts';
import { accessDenied, defineBotMethod } from './v2-bot-context.ts';

/**
 * b24restdocs chat-bots-v2/imbot.v2/messages/chat-message-delete.md: the bot's own message, or any message of a chat
 * the bot administers (owner or manager, messages/index.md#limits); else, or no such message, ACCESS_DENIED.
 * `complete` removes it entirely, otherwise it stays as a "deleted" mark.
 */
export default defineBotMethod({
  name: 'imbot.v2.Chat.Message.delete',
  args: { messageId: p.int(), complete: p.bool().default(false) },
  async handler({ bot, args }, services) {
    const { domain } = services;
    let message = await domain.messenger.editable(bot.id, args.messageId);
    if (!message) {
      const other = await domain.messenger.visible(bot.id, args.messageId);
      const chat = other && (await domain.chats.get(other.chat_id));
      const role = chat && roleOf(chat, await domain.chats.member(chat.id, bot.id));
      if (other && !other.deleted && (role === 'owner' || role === 'manager')) message = other;
    }
    if (!message) throw accessDenied();
    // Deleted by another call meanwhile: gone, as the page's ACCESS_DENIED says.
    const removed = await domain.messenger.remove({ message, complete: args.complete, live: messengerLive(services) });
    if (!removed) throw accessDenied();
    return { result: true };
  },
});
