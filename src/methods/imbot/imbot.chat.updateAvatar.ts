import { fail } from '../../wire/errors.ts';
import { p } from '../../wire/params/coerce.ts';
import { defineMethod } from '../define.ts';
import { messengerLive } from '../im/messenger-live.ts';
import { botChat, dialogAsChat } from './bot-chat.ts';
import { actingBot, botContext } from './bot-context.ts';
import { fileContent } from './file-param.ts';

/**
 * b24restdocs api-reference/chat-bots/outdated/chats/imbot-chat-update-avatar.md: a Base64 PNG, JPEG, GIF or WebP
 * of at most 5000x5000, checked by its header before the chat; stored and served under /upload/avatar/. Members get
 * `chatAvatar` (Messenger.updateChat); CIMChat::SetAvatarId posts no notice.
 */
export default defineMethod({
  name: 'imbot.chat.updateAvatar',
  scope: 'imbot',
  prepare: dialogAsChat,
  params: {
    ...botContext,
    CHAT_ID: p.id().optional().invalid('CHAT_ID_EMPTY'),
    AVATAR: p.any().optional(),
  },
  async handler({ params, caller, raw }, services) {
    const { domain } = services;
    const bot = await actingBot(domain, caller, params, { raw });
    if (params.CHAT_ID === undefined) throw fail('CHAT_ID_EMPTY');
    const content = fileContent(params.AVATAR);
    domain.avatars.check(content);
    const { chat } = await botChat(domain, bot.id, params.CHAT_ID, {
      notFound: ['WRONG_REQUEST', "Chat doesn't exist"],
      notMember: ['ACCESS_DENIED', 'Access denied'],
      privateChat: ['ACCESS_ERROR', 'The avatar of this chat cannot be changed'],
    });
    const avatar = await domain.avatars.save(content);
    await domain.groupChats.update({ actor: bot.user, chat, changes: { avatar }, live: messengerLive(services) });
    return true;
  },
});
