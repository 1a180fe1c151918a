import { changedMessageExtras } from '../../domain/message-extras.ts';
import { fail } from '../../wire/errors.ts';
import { p } from '../../wire/params/coerce.ts';
import { looseEquals } from '../../wire/params/php.ts';
import { defineMethod } from '../define.ts';
import { messengerLive } from './messenger-live.ts';
import { messageIdParam } from './php-int.ts';

/**
 * b24restdocs api-reference/chats/messages/im-message-update.md: the author's own messages of the last three days
 * (else CANT_EDIT_MESSAGE, 403). Absent MESSAGE keeps the text, an empty one deletes the message; ATTACH, KEYBOARD,
 * MENU empty or `N` clear (a malformed MENU is `menu_ERROR`, as this page spells it). A new text always marks the
 * message edited; IS_EDITED=N (only "N": CIMRestService::messageUpdate) spares the mark for an ATTACH change
 * only. MESSAGE_ID (or ID) as messageIdParam reads it.
 */
export default defineMethod({
  name: 'im.message.update',
  scope: 'im',
  params: {
    MESSAGE: p.string().optional(),
  },
  async handler({ params, caller, raw }, services) {
    const { domain } = services;
    const messageId = messageIdParam(raw);
    // CIMRestService::messageUpdate looks at the message only for a value to change; with none it answers true.
    if (!['ATTACH', 'KEYBOARD', 'MENU', 'MESSAGE'].some((key) => raw[key] !== undefined && raw[key] !== null)) {
      return true;
    }
    const message = await domain.messenger.editable(caller.userId, messageId);
    if (!message) throw fail('CANT_EDIT_MESSAGE');
    const extras = changedMessageExtras(raw, 0, 'menu_ERROR');
    const edited = await domain.messenger.edit({
      message,
      // An empty MESSAGE (which the coercer reads as absent) deletes the message.
      text: raw.MESSAGE === undefined ? undefined : (params.MESSAGE ?? ''),
      extras,
      markEdited: raw.MESSAGE !== undefined || (extras.ATTACH !== undefined && !looseEquals(raw.IS_EDITED, 'N')),
      live: messengerLive(services),
    });
    if (!edited) throw fail('CANT_EDIT_MESSAGE');
    return true;
  },
});
