import type { ChatChanges } from '../../domain/messenger-pull.ts';
import { colorName } from '../../domain/v2-bots.ts';
import { bindParams } from '../../wire/params/bind.ts';
import { p } from '../../wire/params/coerce.ts';
import { messengerLive } from '../im/messenger-live.ts';
import { defineBotMethod } from './v2-bot-context.ts';
import { chatAvatar, groupChat } from './v2-chat.ts';

const FIELDS = {
  title: p.string().optional(),
  description: p.string().optional(),
  color: p.string().optional(),
  avatar: p.any().optional(),
};

/**
 * b24restdocs chat-bots-v2/imbot.v2/chats/chat-update.md: title, description, colour and avatar of a group chat
 * the bot is in, in one call (imbot.chat.updateTitle / updateColor / updateAvatar of v1). A blank title, an unknown
 * colour or an avatar that is no image is left unchanged; a private dialog has none of these (ACCESS_DENIED).
 */
export default defineBotMethod({
  name: 'imbot.v2.Chat.update',
  args: { dialogId: p.string(), fields: p.object() },
  async handler({ bot, args }, services) {
    const { domain } = services;
    const { chat } = await groupChat(services, bot, args.dialogId);
    const fields = bindParams(FIELDS, args.fields, 'controller');
    const changes: ChatChanges = {};
    const title = fields.title?.trim();
    if (title) changes.title = title;
    if (fields.description !== undefined) changes.description = fields.description;
    const color = colorName(fields.color);
    if (color) changes.color = color;
    const avatar = await chatAvatar(domain, fields.avatar);
    if (avatar) changes.avatar = avatar;
    if (Object.keys(changes).length) {
      await domain.groupChats.update({ actor: bot.user, chat, changes, live: messengerLive(services) });
    }
    return { result: true };
  },
});
