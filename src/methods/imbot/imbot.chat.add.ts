import { COLORS } from '../../domain/chats.ts';
import { ApiError } from '../../http/errors.ts';
import { p } from '../../http/params/coerce.ts';
import { defineMethod } from '../define.ts';
import { actingBot, botContext } from './bot-context.ts';

/** b24restdocs api-reference/chat-bots/outdated/chats/imbot-chat-add.md: a group chat owned by the bot. */
export default defineMethod({
  name: 'imbot.chat.add',
  scope: 'imbot',
  params: {
    ...botContext,
    TYPE: p.oneOf('CHAT', 'OPEN').default('CHAT').invalid('WRONG_REQUEST'),
    TITLE: p.string().optional(),
    DESCRIPTION: p.string().optional(),
    COLOR: p.string().optional(),
    MESSAGE: p.string().optional(),
    USERS: p.intList().optional().invalid('INVALID_FORMAT'),
    AVATAR: p.string().optional(),
    ENTITY_TYPE: p.string().optional(),
    ENTITY_ID: p.string().optional(),
  },
  async handler({ params, caller }, { domain }) {
    const bot = await actingBot(domain, caller, params);
    const color = params.COLOR?.toUpperCase();
    if (color && !(color in COLORS)) throw new ApiError('WRONG_COLOR');
    const chat = await domain.chats.create({
      type: params.TYPE === 'OPEN' ? 'O' : 'C',
      title: params.TITLE?.trim() ?? '',
      description: params.DESCRIPTION ?? '',
      color: color ?? '',
      avatar: params.AVATAR ?? '',
      authorId: bot.id,
      entityType: params.ENTITY_TYPE ?? '',
      entityId: params.ENTITY_ID ?? '',
      users: params.USERS ?? [],
    });
    return chat.id;
  },
});
