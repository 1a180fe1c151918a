import { defineMethod } from '../define.ts';
import { messengerLive } from '../im/messenger-live.ts';
import {
  ACTION_UNAVAILABLE,
  botChat,
  type ChatFailure,
  chatIdParam,
  dialogAsChat,
  failWith,
  userIdParam,
} from './bot-chat.ts';
import { actingBot, botContext } from './bot-context.ts';

const OWNER_ONLY: ChatFailure = ['WRONG_REQUEST', 'Change owner can only owner and user must be member in chat'];

/**
 * b24restdocs api-reference/chat-bots/outdated/chats/imbot-chat-set-owner.md: only the owning bot hands its chat
 * to another member. A private dialog has no owner to change (ACCESS_ERROR "Action unavailable"). Members get
 * `chatOwner` (Messenger.setOwner).
 */
export default defineMethod({
  name: 'imbot.chat.setOwner',
  scope: 'imbot',
  prepare: dialogAsChat,
  params: botContext,
  async handler({ caller, raw }, services) {
    const { domain } = services;
    const chatId = chatIdParam(raw);
    const userId = userIdParam(raw);
    const bot = await actingBot(domain, caller, raw);
    const { chat } = await botChat(domain, bot.id, chatId, {
      notFound: ACTION_UNAVAILABLE,
      notMember: OWNER_ONLY,
      privateChat: ACTION_UNAVAILABLE,
    });
    if (chat.owner_id !== bot.id || !(await domain.chats.isMember(chat.id, userId))) {
      throw failWith(OWNER_ONLY);
    }
    if (userId !== chat.owner_id) {
      await domain.groupChats.setOwner({ chat, userId, live: messengerLive(services) });
    }
    return true;
  },
});
