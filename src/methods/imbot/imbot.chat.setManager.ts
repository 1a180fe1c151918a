import { fail } from '../../wire/errors.ts';
import { p } from '../../wire/params/coerce.ts';
import { defineMethod } from '../define.ts';
import { messengerLive } from '../im/messenger-live.ts';
import { botChat, type ChatFailure, dialogAsChat, failWith } from './bot-chat.ts';
import { APP_ID_ERROR_LOWER, actingBot, botContext } from './bot-context.ts';

const OWNER_ONLY: ChatFailure = ['WRONG_REQUEST', 'Change manager can only owner and user must be member in chat'];

/**
 * b24restdocs api-reference/chat-bots/outdated/chats/imbot-chat-set-manager.md: the owning bot grants or revokes a
 * member's manager rights. The page lists no ACCESS_ERROR, so every refusal is its WRONG_REQUEST. Members get
 * `chatManagers` (Messenger.setManagers).
 */
export default defineMethod({
  name: 'imbot.chat.setManager',
  scope: 'imbot',
  prepare: dialogAsChat,
  params: {
    ...botContext,
    CHAT_ID: p.id().optional().invalid('CHAT_ID_EMPTY'),
    USER_ID: p.id().optional().invalid('USER_ID_EMPTY'),
    IS_MANAGER: p.bool().default(true),
  },
  async handler({ params, caller, raw }, services) {
    const { domain } = services;
    if (params.CHAT_ID === undefined) throw fail('CHAT_ID_EMPTY');
    if (params.USER_ID === undefined) throw fail('USER_ID_EMPTY');
    const bot = await actingBot(domain, caller, params, { raw, appIdError: APP_ID_ERROR_LOWER });
    const { chat } = await botChat(domain, bot.id, params.CHAT_ID, { notMember: OWNER_ONLY });
    if (chat.owner_id !== bot.id || !(await domain.chats.isMember(chat.id, params.USER_ID))) {
      throw failWith(OWNER_ONLY);
    }
    await domain.groupChats.setManagers({
      chat,
      managers: new Map([[params.USER_ID, params.IS_MANAGER]]),
      live: messengerLive(services),
    });
    return true;
  },
});
