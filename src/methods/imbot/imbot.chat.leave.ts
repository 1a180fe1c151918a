import { ApiError, fail } from '../../wire/errors.ts';
import { p } from '../../wire/params/coerce.ts';
import { defineMethod } from '../define.ts';
import { messengerLive } from '../im/messenger-live.ts';
import { ACTION_UNAVAILABLE, botChat, type ChatFailure, dialogAsChat, failWith } from './bot-chat.ts';
import { APP_ID_ERROR_LOWER, actingBot, botContext } from './bot-context.ts';

const NOT_MEMBER: ChatFailure = ['WRONG_REQUEST', "You don't have access or user isn't a member in chat"];

/**
 * b24restdocs api-reference/chat-bots/outdated/chats/imbot-chat-leave.md. The owner cannot leave without handing
 * the chat over first (imbot.chat.setOwner): ACCESS_ERROR whose description is the code LEAVE_OWNER_FORBIDDEN.
 * The chat gets the CHAT_LEAVE notice and its members `chatUserLeave` (Messenger.removeMember).
 */
export default defineMethod({
  name: 'imbot.chat.leave',
  scope: 'imbot',
  prepare: dialogAsChat,
  params: {
    ...botContext,
    CHAT_ID: p.id().optional().invalid('CHAT_ID_EMPTY'),
  },
  async handler({ params, caller, raw }, services) {
    const { domain } = services;
    if (params.CHAT_ID === undefined) throw fail('CHAT_ID_EMPTY');
    const bot = await actingBot(domain, caller, params, { raw, appIdError: APP_ID_ERROR_LOWER });
    const { chat } = await botChat(domain, bot.id, params.CHAT_ID, {
      notFound: ACTION_UNAVAILABLE,
      notMember: NOT_MEMBER,
      privateChat: ['ACCESS_ERROR', 'It is forbidden to delete users of this chat'],
    });
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
