import { defineMethod } from '../define.ts';
import { messengerLive } from '../im/messenger-live.ts';
import { idList } from '../im/php-int.ts';
import { botChat, chatIdParam, dialogAsChat, hideHistoryParam, refusedInPrivate } from './bot-chat.ts';
import { actingBot, botContext } from './bot-context.ts';

// CIMRestService::chatUserAdd's one answer for whatever CIMChat::AddUser refuses
const REFUSED = "You don't have access or user already member in chat";

/**
 * b24restdocs api-reference/chat-bots/outdated/chats/imbot-chat-user-add.md, checked as CIMRestService::chatUserAdd
 * checks: CHAT_ID, a chat that takes no members (a private dialog), the bot, then CIMChat::AddUser: an unknown chat
 * or one the bot is not in → WRONG_REQUEST, the module's one answer. Any member may add people (permission
 * manage_users_add = member). USERS is a list or one id; unknown or deactivated users are left out, and nobody new
 * (USERS missing too: the "array format" error is the platform's for extranet bots only) is `true`, as the newest
 * AddUser answers once the bot may extend the chat. Added as im.chat.user.add adds them: the "invited" notice,
 * `chatUserAdd`, ONIMBOTJOINCHAT for added bots.
 */
export default defineMethod({
  name: 'imbot.chat.user.add',
  scope: 'imbot',
  prepare: dialogAsChat,
  params: botContext,
  async handler({ caller, raw }, services) {
    const { domain } = services;
    const chatId = chatIdParam(raw);
    await refusedInPrivate(domain, chatId, ['ACCESS_ERROR', 'It is forbidden to add users to this chat']);
    const bot = await actingBot(domain, caller, raw);
    const hideHistory = hideHistoryParam(raw);
    const { chat } = await botChat(domain, bot.id, chatId, { notMember: ['WRONG_REQUEST', REFUSED] });
    await domain.groupChats.addMembers({
      actor: bot.user,
      chat,
      userIds: idList(raw.USERS),
      hideHistory,
      live: messengerLive(services),
    });
    return true;
  },
});
