import { COLORS } from '../../domain/chats.ts';
import { p } from '../../wire/params/coerce.ts';
import { looseEquals, phpString } from '../../wire/params/php.ts';
import { defineMethod } from '../define.ts';
import { messengerLive } from '../im/messenger-live.ts';
import { chatCreateUsers } from '../im/php-int.ts';
import { actingBot, botContext } from './bot-context.ts';
import { fileContent } from './file-param.ts';

/**
 * b24restdocs api-reference/chat-bots/outdated/chats/imbot-chat-add.md: a group chat owned by the bot, made by the
 * messenger as im.chat.add makes one: every bot in it, the creating one too, gets ONIMBOTJOINCHAT, and MESSAGE is
 * the bot's first message. CIMRestService::chatCreate (shared with im.chat.add) reads USERS first (INVALID_FORMAT),
 * then the bot; TYPE "OPEN" (exactly) makes an open chat, anything else a closed one. Ids in USERS of unknown or
 * deactivated users, an unknown COLOR and an AVATAR that is no readable image of at most 5000x5000 are dropped, as
 * the platform does (docs/decisions.md).
 */
export default defineMethod({
  name: 'imbot.chat.add',
  scope: 'imbot',
  params: {
    ...botContext,
    // b_im_chat: ENTITY_TYPE varchar(50), ENTITY_ID varchar(255) (as im.chat.add)
    ENTITY_TYPE: p.string(50).optional(),
    ENTITY_ID: p.string(255).optional(),
  },
  async handler({ params, caller, raw }, services) {
    const { domain } = services;
    const users = chatCreateUsers(raw.USERS);
    const bot = await actingBot(domain, caller, raw);
    const color = phpString(raw.COLOR).trim().toUpperCase();
    const chat = await domain.groupChats.create({
      author: bot.user,
      type: looseEquals(raw.TYPE, 'OPEN') ? 'O' : 'C',
      title: phpString(raw.TITLE).trim(),
      description: phpString(raw.DESCRIPTION),
      color: color in COLORS ? color : '',
      avatar: raw.AVATAR === undefined ? undefined : await domain.avatars.saveReadable(fileContent(raw.AVATAR)),
      entityType: params.ENTITY_TYPE ?? '',
      entityId: params.ENTITY_ID ?? '',
      users,
      message: phpString(raw.MESSAGE),
      live: messengerLive(services),
    });
    return chat.id;
  },
});
