import type { MemberOrder } from '../../domain/v2-chats.ts';
import { v2User } from '../../domain/v2-entities.ts';
import { p } from '../../wire/params/coerce.ts';
import { defineBotMethod } from './v2-bot-context.ts';
import { groupChat } from './v2-chat.ts';

const ORDER_FIELDS: MemberOrder[] = ['id', 'lastSendMessageId', 'userId'];

/**
 * b24restdocs chat-bots-v2/imbot.v2/chats/chat-user-list.md: the members of a group chat the bot is in, as User
 * objects. `order` by `id` (membership: who joined first), `userId` or `lastSendMessageId`, `ASC` or `DESC`; other
 * keys are ignored. `limit` 1–200 (50), brought into range.
 */
export default defineBotMethod({
  name: 'imbot.v2.Chat.User.list',
  args: {
    dialogId: p.string(),
    order: p.object().optional(),
    limit: p.int().default(50),
  },
  async handler({ bot, args }, services) {
    const { domain } = services;
    const { chat } = await groupChat(services, bot, args.dialogId);
    const [field, direction] = Object.entries(args.order ?? {}).find(([key]) =>
      ORDER_FIELDS.includes(key as MemberOrder),
    ) ?? ['id', 'ASC'];
    const desc = String(direction).toUpperCase() === 'DESC';
    const ids = await domain.v2Chats.memberIds(
      chat.id,
      field as MemberOrder,
      desc,
      Math.min(200, Math.max(1, args.limit)),
    );
    const users = await domain.users.getMany(ids);
    const origin = new URL(services.portal().clientEndpoint).origin;
    return ids.flatMap((id) => {
      const user = users.get(id);
      return user ? [v2User(user, undefined, origin)] : [];
    });
  },
});
