import { v2Message, v2User } from '../../domain/v2-entities.ts';
import { p } from '../../wire/params/coerce.ts';
import { defineBotMethod } from './v2-bot-context.ts';
import { readableMessage } from './v2-message.ts';

/**
 * b24restdocs chat-bots-v2/imbot.v2/messages/chat-message-get-context.md: up to `range` (1–50, default 50; brought
 * into range) messages on each side of one, within the history the bot sees, with their authors.
 */
export default defineBotMethod({
  name: 'imbot.v2.Chat.Message.getContext',
  args: { messageId: p.int(), range: p.int().default(50) },
  async handler({ bot, args }, services) {
    const { domain } = services;
    const center = await readableMessage(services, bot, args.messageId);
    const member = await domain.chats.member(center.chat_id, bot.id);
    const range = Math.min(50, Math.max(1, args.range));
    const around = await domain.v2Chats.around(center.chat_id, center.id, range, member?.start_id ?? 0);
    const members = await domain.chats.memberRows(center.chat_id);
    const authors = await domain.users.getMany([...new Set(around.messages.map((m) => m.author_id))]);
    const origin = new URL(services.portal().clientEndpoint).origin;
    return {
      messages: around.messages.map((m) =>
        v2Message(
          m,
          members.some((r) => r.user_id !== m.author_id && r.last_read_id >= m.id),
        ),
      ),
      users: [...authors.values()].map((u) => v2User(u, undefined, origin)),
      hasPrevPage: around.hasPrev,
      hasNextPage: around.hasNext,
    };
  },
});
