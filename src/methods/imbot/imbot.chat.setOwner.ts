import { fail } from '../../wire/errors.ts';
import { p } from '../../wire/params/coerce.ts';
import { defineMethod } from '../define.ts';
import { messengerLive } from '../im/messenger-live.ts';
import { ACTION_UNAVAILABLE, botChat, type ChatFailure, dialogAsChat, failWith } from './bot-chat.ts';
import { APP_ID_ERROR_LOWER, actingBot, botContext } from './bot-context.ts';

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
  params: {
    ...botContext,
    CHAT_ID: p.id().optional().invalid('CHAT_ID_EMPTY'),
    USER_ID: p.id().optional().invalid('USER_ID_EMPTY'),
  },
  async handler({ params, caller, raw }, services) {
    const { domain } = services;
    if (params.CHAT_ID === undefined) throw fail('CHAT_ID_EMPTY');
    if (params.USER_ID === undefined) throw fail('USER_ID_EMPTY');
    const bot = await actingBot(domain, caller, params, { raw, appIdError: APP_ID_ERROR_LOWER });
    const { chat } = await botChat(domain, bot.id, params.CHAT_ID, {
      notFound: ACTION_UNAVAILABLE,
      notMember: OWNER_ONLY,
      privateChat: ACTION_UNAVAILABLE,
    });
    if (chat.owner_id !== bot.id || !(await domain.chats.isMember(chat.id, params.USER_ID))) {
      throw failWith(OWNER_ONLY);
    }
    if (params.USER_ID !== chat.owner_id) {
      await domain.groupChats.setOwner({ chat, userId: params.USER_ID, live: messengerLive(services) });
    }
    return true;
  },
});
