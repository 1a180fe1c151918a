import { can, roleOf } from '../../domain/chat-rules.ts';
import { p } from '../../wire/params/coerce.ts';
import { messengerLive } from '../im/messenger-live.ts';
import { accessDenied, defineBotMethod } from './v2-bot-context.ts';
import { groupChat } from './v2-chat.ts';

/**
 * b24restdocs chat-bots-v2/imbot.v2/chats/chat-user-add.md: adds people to a group chat the bot is in (those already
 * there, unknown or inactive are skipped), as im.chat.user.add does: with the history visible, a system notice, and
 * ONIMBOTJOINCHAT for added bots.
 */
export default defineBotMethod({
  name: 'imbot.v2.Chat.User.add',
  args: { dialogId: p.string(), userIds: p.intList() },
  async handler({ bot, args }, services) {
    const { chat, member } = await groupChat(services, bot, args.dialogId);
    if (!can(roleOf(chat, member), 'manage_users_add')) throw accessDenied();
    await services.domain.groupChats.addMembers({
      actor: bot.user,
      chat,
      userIds: args.userIds,
      hideHistory: false,
      live: messengerLive(services),
    });
    return { result: true };
  },
});
