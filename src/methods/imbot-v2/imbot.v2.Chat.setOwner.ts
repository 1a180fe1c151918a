import { p } from '../../wire/params/coerce.ts';
import { messengerLive } from '../im/messenger-live.ts';
import { accessDenied, defineBotMethod } from './v2-bot-context.ts';
import { groupChat } from './v2-chat.ts';

/**
 * b24restdocs chat-bots-v2/imbot.v2/chats/chat-set-owner.md: the owning bot hands its chat to a member; a bot that
 * is not the owner, or a user who is not a member → ACCESS_DENIED.
 */
export default defineBotMethod({
  name: 'imbot.v2.Chat.setOwner',
  args: { dialogId: p.string(), userId: p.int() },
  async handler({ bot, args }, services) {
    const { domain } = services;
    const { chat } = await groupChat(services, bot, args.dialogId);
    if (chat.owner_id !== bot.id || !(await domain.chats.isMember(chat.id, args.userId))) throw accessDenied();
    if (args.userId !== bot.id) {
      await domain.groupChats.setOwner({ chat, userId: args.userId, live: messengerLive(services) });
    }
    return { result: true };
  },
});
