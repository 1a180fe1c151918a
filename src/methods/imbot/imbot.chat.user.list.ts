import { fail } from '../../wire/errors.ts';
import { p } from '../../wire/params/coerce.ts';
import { defineMethod } from '../define.ts';
import { ACTION_UNAVAILABLE, botChat, dialogAsChat } from './bot-chat.ts';
import { APP_ID_ERROR_LOWER, actingBot, botContext } from './bot-context.ts';

/** b24restdocs api-reference/chat-bots/outdated/chats/imbot-chat-user-list.md: member ids, in joining order. */
export default defineMethod({
  name: 'imbot.chat.user.list',
  scope: 'imbot',
  prepare: dialogAsChat,
  params: {
    ...botContext,
    CHAT_ID: p.id().optional().invalid('CHAT_ID_EMPTY'),
  },
  async handler({ params, caller, raw }, { domain }) {
    if (params.CHAT_ID === undefined) throw fail('CHAT_ID_EMPTY');
    const bot = await actingBot(domain, caller, params, { raw, appIdError: APP_ID_ERROR_LOWER });
    const { chat } = await botChat(domain, bot.id, params.CHAT_ID, { notMember: ACTION_UNAVAILABLE });
    return (await domain.chats.memberRows(chat.id)).map((m) => m.user_id);
  },
});
