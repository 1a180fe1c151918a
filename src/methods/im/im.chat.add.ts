import { COLORS } from '../../domain/chats.ts';
import { p } from '../../wire/params/coerce.ts';
import { looseEquals } from '../../wire/params/php.ts';
import { defineMethod } from '../define.ts';
import { fileContent } from '../imbot/file-param.ts';
import { messengerLive } from './messenger-live.ts';
import { chatCreateUsers } from './php-int.ts';

/**
 * b24restdocs api-reference/chats/im-chat-add.md: a group chat owned by the caller. The page documents no errors of
 * its own; CIMRestService::chatCreate refuses only a USERS entry that is neither an integer nor a string
 * (INVALID_FORMAT). What the platform quietly drops is dropped: ids that are no active user, an unknown COLOR, a
 * TYPE other than "OPEN" (a closed chat), an AVATAR that is no readable image of at most 5000x5000. Without TITLE
 * the chat is named after its members. MESSAGE is the first message.
 */
export default defineMethod({
  name: 'im.chat.add',
  scope: 'im',
  params: {
    TITLE: p.string().optional(),
    DESCRIPTION: p.string().optional(),
    COLOR: p.string().optional(),
    MESSAGE: p.string().optional(),
    AVATAR: p.any().optional(),
    // b_im_chat: ENTITY_TYPE varchar(50), ENTITY_ID varchar(255)
    ENTITY_TYPE: p.string(50).optional(),
    ENTITY_ID: p.string(255).optional(),
  },
  async handler({ params, caller, raw }, services) {
    const { domain } = services;
    const users = chatCreateUsers(raw.USERS);
    const author = await domain.users.require(caller.userId);
    const color = params.COLOR?.toUpperCase() ?? '';
    const chat = await domain.groupChats.create({
      author,
      type: looseEquals(raw.TYPE, 'OPEN') ? 'O' : 'C',
      title: params.TITLE?.trim() ?? '',
      description: params.DESCRIPTION ?? '',
      color: color in COLORS ? color : '',
      avatar: params.AVATAR === undefined ? undefined : await domain.avatars.saveReadable(fileContent(params.AVATAR)),
      entityType: params.ENTITY_TYPE ?? '',
      entityId: params.ENTITY_ID ?? '',
      users,
      message: params.MESSAGE ?? '',
      live: messengerLive(services),
    });
    return chat.id;
  },
});
