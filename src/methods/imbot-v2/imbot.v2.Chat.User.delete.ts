import { can, roleOf } from '../../domain/chat-rules.ts';
import { p } from '../../wire/params/coerce.ts';
import { messengerLive } from '../im/messenger-live.ts';
import { accessDenied, defineBotMethod } from './v2-bot-context.ts';
import { groupChat } from './v2-chat.ts';

/**
 * b24restdocs chat-bots-v2/imbot.v2/chats/chat-user-delete.md: removes a member; removing others takes a manager
 * (chat permissions, manage_users_delete); the owner is not removed. Anything else → ACCESS_DENIED.
 */
export default defineBotMethod({
  name: 'imbot.v2.Chat.User.delete',
  args: { dialogId: p.string(), userId: p.int() },
  async handler({ bot, args }, services) {
    const { chats, groupChats } = services.domain;
    const { chat, member } = await groupChat(services, bot, args.dialogId);
    const allowed = args.userId === bot.id || can(roleOf(chat, member), 'manage_users_delete');
    if (!allowed || args.userId === chat.owner_id || !(await chats.isMember(chat.id, args.userId))) {
      throw accessDenied();
    }
    const live = messengerLive(services);
    if (!(await groupChats.removeMember({ actor: bot.user, chat, userId: args.userId, live }))) throw accessDenied();
    return { result: true };
  },
});
