import { intval } from '../../wire/params/php.ts';
import { defineMethod } from '../define.ts';
import { chatIdParam, dialogAsChat, refusedInPrivate } from './bot-chat.ts';
import { botRemovesMember } from './bot-chat-remove.ts';
import { actingBot, botContext } from './bot-context.ts';

/**
 * b24restdocs api-reference/chat-bots/outdated/chats/imbot-chat-leave.md. The owner cannot leave without handing
 * the chat over first (imbot.chat.setOwner): ACCESS_ERROR whose description is the code LEAVE_OWNER_FORBIDDEN.
 * The chat gets the CHAT_LEAVE notice and its members `chatUserLeave` (Messenger.removeMember). A USER_ID above 0
 * removes that user instead, as imbot.chat.user.delete would: the platform serves both with chatUserDelete, which
 * hands DeleteUser USER_ID when it is given (the page lists no USER_ID).
 */
export default defineMethod({
  name: 'imbot.chat.leave',
  scope: 'imbot',
  prepare: dialogAsChat,
  params: botContext,
  async handler({ caller, raw }, services) {
    const { domain } = services;
    const chatId = chatIdParam(raw);
    await refusedInPrivate(domain, chatId, ['ACCESS_ERROR', 'It is forbidden to delete users of this chat']);
    const bot = await actingBot(domain, caller, raw);
    const userId = intval(raw.USER_ID);
    return botRemovesMember(services, bot, chatId, userId > 0 ? userId : bot.id);
  },
});
