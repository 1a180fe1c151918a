import { ApiError, fail } from '../../wire/errors.ts';
import { p } from '../../wire/params/coerce.ts';
import { defineMethod } from '../define.ts';
import { messengerLive } from '../im/messenger-live.ts';
import { ACTION_UNAVAILABLE, botChat, dialogAsChat } from './bot-chat.ts';
import { APP_ID_ERROR_LOWER, actingBot, botContext } from './bot-context.ts';

const ARRAY_FORMAT = 'User IDs must be passed in array format';

/**
 * b24restdocs api-reference/chat-bots/outdated/chats/imbot-chat-user-add.md. Any member may add people (permission
 * manage_users_add = member). Unknown or deactivated users are left out; nobody new → WRONG_REQUEST. Added as
 * im.chat.user.add adds them: the "invited" notice, `chatUserAdd`, ONIMBOTJOINCHAT for added bots.
 */
export default defineMethod({
  name: 'imbot.chat.user.add',
  scope: 'imbot',
  prepare: dialogAsChat,
  params: {
    ...botContext,
    CHAT_ID: p.id().optional().invalid('CHAT_ID_EMPTY'),
    USERS: p.intList().optional().invalid('WRONG_REQUEST', ARRAY_FORMAT),
    HIDE_HISTORY: p.bool().default(true),
  },
  async handler({ params, caller, raw }, services) {
    const { domain } = services;
    if (params.CHAT_ID === undefined) throw fail('CHAT_ID_EMPTY');
    const bot = await actingBot(domain, caller, params, { raw, appIdError: APP_ID_ERROR_LOWER });
    if (!params.USERS?.length) throw new ApiError('WRONG_REQUEST', ARRAY_FORMAT);
    const { chat } = await botChat(domain, bot.id, params.CHAT_ID, {
      notMember: ACTION_UNAVAILABLE,
      privateChat: ['ACCESS_ERROR', 'It is forbidden to add users to this chat'],
    });
    const added = await domain.groupChats.addMembers({
      actor: bot.user,
      chat,
      userIds: params.USERS,
      hideHistory: params.HIDE_HISTORY,
      live: messengerLive(services),
    });
    if (!added.length) throw new ApiError('WRONG_REQUEST', "You don't have access or user already member in chat");
    return true;
  },
});
