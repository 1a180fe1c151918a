import { p } from '../../wire/params/coerce.ts';
import { messengerLive } from '../im/messenger-live.ts';
import { accessDenied, defineBotMethod } from './v2-bot-context.ts';
import { groupChat } from './v2-chat.ts';

/**
 * b24restdocs chat-bots-v2/imbot.v2/chats/chat-leave.md: the bot leaves a group chat. As in v1 (LEAVE_OWNER_FORBIDDEN)
 * the owner does not leave before handing the chat over with Chat.setOwner: ACCESS_DENIED.
 */
export default defineBotMethod({
  name: 'imbot.v2.Chat.leave',
  args: { dialogId: p.string() },
  async handler({ bot, args }, services) {
    const { chat } = await groupChat(services, bot, args.dialogId);
    if (chat.owner_id === bot.id) throw accessDenied();
    const live = messengerLive(services);
    if (!(await services.domain.groupChats.removeMember({ actor: bot.user, chat, userId: bot.id, live }))) {
      throw accessDenied();
    }
    return { result: true };
  },
});
