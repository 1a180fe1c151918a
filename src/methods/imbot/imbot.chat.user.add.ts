import { ApiError } from '../../http/errors.ts';
import { p } from '../../http/params/coerce.ts';
import { defineMethod } from '../define.ts';
import { actingBot, botContext } from './bot-context.ts';

/** b24restdocs api-reference/chat-bots/outdated/chats/imbot-chat-user-add.md */
export default defineMethod({
  name: 'imbot.chat.user.add',
  scope: 'imbot',
  params: {
    ...botContext,
    CHAT_ID: p.id().missing('CHAT_ID_EMPTY').invalid('CHAT_ID_EMPTY'),
    USERS: p.intList().optional().invalid('WRONG_REQUEST', 'User IDs must be passed in array format'),
    HIDE_HISTORY: p.bool().default(true),
  },
  async handler({ params, caller }, { domain }) {
    const bot = await actingBot(domain, caller, params);
    if (!params.USERS?.length) throw new ApiError('WRONG_REQUEST', 'User IDs must be passed in array format');
    const chat = await domain.chats.get(params.CHAT_ID);
    if (!chat || !(await domain.chats.isMember(chat.id, bot.id))) {
      throw new ApiError('WRONG_REQUEST', "You don't have access or user already member in chat");
    }
    if (chat.type === 'P') throw new ApiError('ACCESS_ERROR', 'It is forbidden to add users to this chat');
    const added = await domain.chats.addUsers(chat.id, params.USERS, params.HIDE_HISTORY);
    if (!added.length) throw new ApiError('WRONG_REQUEST', "You don't have access or user already member in chat");
    return true;
  },
});
