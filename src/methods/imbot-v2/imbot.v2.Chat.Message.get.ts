import { v2Message, v2User } from '../../domain/v2-entities.ts';
import { p } from '../../wire/params/coerce.ts';
import { defineBotMethod } from './v2-bot-context.ts';
import { readableMessage } from './v2-message.ts';

/** b24restdocs chat-bots-v2/imbot.v2/messages/chat-message-get.md: one message and its author. */
export default defineBotMethod({
  name: 'imbot.v2.Chat.Message.get',
  args: { messageId: p.int() },
  async handler({ bot, args }, services) {
    const message = await readableMessage(services, bot, args.messageId);
    const viewed = await services.domain.chats.viewerCount(message.chat_id, message.id);
    const author = await services.domain.users.get(message.author_id);
    const origin = new URL(services.portal().clientEndpoint).origin;
    return { message: v2Message(message, viewed > 0), user: author ? v2User(author, undefined, origin) : null };
  },
});
