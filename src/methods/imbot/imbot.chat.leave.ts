import { ApiError } from '../../wire/errors.ts';
import { defineMethod } from '../define.ts';
import { messengerLive } from '../im/messenger-live.ts';
import {
  ACTION_UNAVAILABLE,
  botChat,
  type ChatFailure,
  chatIdParam,
  dialogAsChat,
  failWith,
  refusedInPrivate,
} from './bot-chat.ts';
import { actingBot, botContext } from './bot-context.ts';

// CIMRestService::chatUserDelete's wording (the page has "…isn't a member in chat")
const NOT_MEMBER: ChatFailure = ['WRONG_REQUEST', "You don't have access or user isn't member in chat"];
const LEAVE_FORBIDDEN: ChatFailure = ['ACCESS_ERROR', 'It is forbidden to delete users of this chat'];

/**
 * b24restdocs api-reference/chat-bots/outdated/chats/imbot-chat-leave.md. The owner cannot leave without handing
 * the chat over first (imbot.chat.setOwner): ACCESS_ERROR whose description is the code LEAVE_OWNER_FORBIDDEN.
 * The chat gets the CHAT_LEAVE notice and its members `chatUserLeave` (Messenger.removeMember).
 */
export default defineMethod({
  name: 'imbot.chat.leave',
  scope: 'imbot',
  prepare: dialogAsChat,
  params: botContext,
  async handler({ caller, raw }, services) {
    const { domain } = services;
    const chatId = chatIdParam(raw);
    await refusedInPrivate(domain, chatId, LEAVE_FORBIDDEN);
    const bot = await actingBot(domain, caller, raw);
    const { chat } = await botChat(domain, bot.id, chatId, { notFound: ACTION_UNAVAILABLE, notMember: NOT_MEMBER });
    if (chat.owner_id === bot.id) throw new ApiError('ACCESS_ERROR', 'LEAVE_OWNER_FORBIDDEN');
    const left = await domain.groupChats.removeMember({
      actor: bot.user,
      chat,
      userId: bot.id,
      live: messengerLive(services),
    });
    if (!left) throw failWith(NOT_MEMBER);
    return true;
  },
});
