import { COLORS } from '../../domain/chats.ts';
import { fail } from '../../wire/errors.ts';
import { p } from '../../wire/params/coerce.ts';
import { defineMethod } from '../define.ts';
import { messengerLive } from '../im/messenger-live.ts';
import { actingBot, botContext } from './bot-context.ts';
import { fileContent } from './file-param.ts';

/**
 * b24restdocs api-reference/chat-bots/outdated/chats/imbot-chat-add.md: a group chat owned by the bot, made by the
 * messenger as im.chat.add makes one: every bot in it, the creating one too, gets ONIMBOTJOINCHAT, and MESSAGE is
 * the bot's first message. Ids in USERS of unknown or deactivated users are left out, and an AVATAR that is no
 * readable image of at most 5000x5000 is dropped, as the platform does (docs/decisions.md).
 */
export default defineMethod({
  name: 'imbot.chat.add',
  scope: 'imbot',
  params: {
    ...botContext,
    TYPE: p.oneOf('CHAT', 'OPEN').default('CHAT').invalid('WRONG_REQUEST', "Chat can't be created"),
    TITLE: p.string().optional(),
    DESCRIPTION: p.string().optional(),
    COLOR: p.string().optional().invalid('WRONG_COLOR'),
    USERS: p.intList().optional().invalid('INVALID_FORMAT'),
    MESSAGE: p.string().optional(),
    AVATAR: p.any().optional(),
    // b_im_chat: ENTITY_TYPE varchar(50), ENTITY_ID varchar(255) (as im.chat.add)
    ENTITY_TYPE: p.string(50).optional(),
    ENTITY_ID: p.string(255).optional(),
  },
  async handler({ params, caller, raw }, services) {
    const { domain } = services;
    const bot = await actingBot(domain, caller, params, { raw });
    const color = params.COLOR?.trim().toUpperCase();
    if (color && !(color in COLORS)) throw fail('WRONG_COLOR');
    const chat = await domain.groupChats.create({
      author: bot.user,
      type: params.TYPE === 'OPEN' ? 'O' : 'C',
      title: params.TITLE?.trim() ?? '',
      description: params.DESCRIPTION ?? '',
      color: color ?? '',
      avatar: params.AVATAR === undefined ? undefined : await domain.avatars.saveReadable(fileContent(params.AVATAR)),
      entityType: params.ENTITY_TYPE ?? '',
      entityId: params.ENTITY_ID ?? '',
      users: params.USERS ?? [],
      message: params.MESSAGE ?? '',
      live: messengerLive(services),
    });
    return chat.id;
  },
});
