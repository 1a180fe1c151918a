import { colorName } from '../../domain/v2-bots.ts';
import { v2User } from '../../domain/v2-entities.ts';
import { bindParams } from '../../wire/params/bind.ts';
import { p } from '../../wire/params/coerce.ts';
import { messengerLive } from '../im/messenger-live.ts';
import { defineBotMethod } from './v2-bot-context.ts';
import { chatAnswer, chatAvatar } from './v2-chat.ts';

const FIELDS = {
  title: p.string().optional(),
  description: p.string().optional(),
  color: p.string().optional(),
  avatar: p.any().optional(),
  userIds: p.intList().optional(),
  ownerId: p.int().optional(),
  message: p.string().optional(),
};

/**
 * b24restdocs chat-bots-v2/imbot.v2/chats/chat-add.md: a group chat created by the bot, with the given people
 * (unknown or inactive ids left out) and an optional first message, as im.chat.add makes one (member bots are
 * told). The bot owns it unless `ownerId` names one of the members. An unknown colour is picked automatically, as
 * the page says; an avatar that is no image is left out. Answers the chat and its other members.
 */
export default defineBotMethod({
  name: 'imbot.v2.Chat.add',
  args: { fields: p.object().default({}) },
  async handler({ bot, args }, services) {
    const { domain } = services;
    const fields = bindParams(FIELDS, args.fields, 'controller');
    const avatar = await chatAvatar(domain, fields.avatar);
    let chat = await domain.groupChats.create({
      author: bot.user,
      type: 'C',
      title: fields.title?.trim() ?? '',
      description: fields.description ?? '',
      color: colorName(fields.color) ?? '',
      entityType: '',
      entityId: '',
      users: fields.userIds ?? [],
      message: fields.message ?? '',
      live: messengerLive(services),
    });
    const members = await domain.chats.members(chat.id);
    const owner = fields.ownerId !== undefined && members.includes(fields.ownerId) ? fields.ownerId : undefined;
    if (owner !== undefined || avatar) {
      chat = await domain.chats.update(chat.id, {
        ...(owner !== undefined ? { owner_id: owner } : {}),
        ...(avatar ? { avatar } : {}),
      });
    }
    const origin = new URL(services.portal().clientEndpoint).origin;
    const people = await domain.users.getMany(members.filter((id) => id !== bot.id));
    return {
      chat: await chatAnswer(services, bot, chat),
      users: [...people.values()].map((user) => v2User(user, undefined, origin)),
    };
  },
});
