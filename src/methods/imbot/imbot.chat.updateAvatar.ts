import { defineMethod } from '../define.ts';
import { messengerLive } from '../im/messenger-live.ts';
import { botChat, chatIdParam, dialogAsChat } from './bot-chat.ts';
import { actingBot, botContext } from './bot-context.ts';
import { fileContent } from './file-param.ts';

/**
 * b24restdocs api-reference/chat-bots/outdated/chats/imbot-chat-update-avatar.md: a Base64 PNG, JPEG, GIF or WebP
 * of at most 5000x5000, checked by its header after CHAT_ID and the bot and before the chat, as
 * CIMRestService::chatUpdateAvatar checks it; stored and served under /upload/avatar/. Members get
 * `chatAvatar` (Messenger.updateChat); CIMChat::SetAvatarId posts no notice.
 */
export default defineMethod({
  name: 'imbot.chat.updateAvatar',
  scope: 'imbot',
  prepare: dialogAsChat,
  params: botContext,
  async handler({ caller, raw }, services) {
    const { domain } = services;
    const chatId = chatIdParam(raw);
    const bot = await actingBot(domain, caller, raw);
    const content = fileContent(raw.AVATAR);
    domain.avatars.check(content);
    const { chat } = await botChat(domain, bot.id, chatId, {
      // CIMRestService::chatUpdateAvatar's one answer when CIMDisk::UpdateAvatarId refuses: no such chat, or the bot
      // is not in it (the page has "Chat doesn't exist")
      notMember: ['WRONG_REQUEST', "Chat isn't exists"],
      privateChat: ['ACCESS_ERROR', 'The avatar of this chat cannot be changed'],
    });
    const avatar = await domain.avatars.save(content);
    await domain.groupChats.update({ actor: bot.user, chat, changes: { avatar }, live: messengerLive(services) });
    return true;
  },
});
