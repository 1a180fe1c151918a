import { can, roleOf } from '../../domain/chat-rules.ts';
import { ApiError, fail } from '../../wire/errors.ts';
import { p } from '../../wire/params/coerce.ts';
import { defineMethod } from '../define.ts';
import { messengerLive } from '../im/messenger-live.ts';
import { ACTION_UNAVAILABLE, botChat, dialogAsChat } from './bot-chat.ts';
import { actingBot, botContext } from './bot-context.ts';

const NO_ACCESS = "You don't have access or user isn't a member of the chat";

/**
 * b24restdocs api-reference/chat-bots/outdated/chats/imbot-chat-user-delete.md. Removing others needs the owner or
 * a manager (permission manage_users_delete = manager); the bot may always remove itself, unless it owns the chat.
 * The chat gets the CHAT_LEAVE notice and its members `chatUserLeave` (Messenger.removeMember).
 */
export default defineMethod({
  name: 'imbot.chat.user.delete',
  scope: 'imbot',
  prepare: dialogAsChat,
  params: {
    ...botContext,
    CHAT_ID: p.id().optional().invalid('CHAT_ID_EMPTY'),
    USER_ID: p.id().optional().invalid('USER_ID_EMPTY'),
  },
  async handler({ params, caller, raw }, services) {
    const { domain } = services;
    if (params.CHAT_ID === undefined) throw fail('CHAT_ID_EMPTY');
    const bot = await actingBot(domain, caller, params, { raw });
    if (params.USER_ID === undefined) throw fail('USER_ID_EMPTY');
    const { chat, member } = await botChat(domain, bot.id, params.CHAT_ID, {
      notMember: ACTION_UNAVAILABLE,
      privateChat: ['ACCESS_ERROR', 'It is forbidden to delete users of this chat'],
    });
    const userId = params.USER_ID;
    if (userId !== bot.id && !can(roleOf(chat, member), 'manage_users_delete')) {
      throw new ApiError('WRONG_REQUEST', NO_ACCESS);
    }
    if (!(await domain.chats.isMember(chat.id, userId))) throw new ApiError('WRONG_REQUEST', NO_ACCESS);
    if (userId === chat.owner_id) throw new ApiError('ACCESS_ERROR', 'LEAVE_OWNER_FORBIDDEN');
    const removed = await domain.groupChats.removeMember({
      actor: bot.user,
      chat,
      userId,
      live: messengerLive(services),
    });
    if (!removed) throw new ApiError('WRONG_REQUEST', NO_ACCESS);
    return true;
  },
});
