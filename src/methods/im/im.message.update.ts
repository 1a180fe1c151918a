import { changedMessageExtras } from '../../domain/message-extras.ts';
import { fail } from '../../wire/errors.ts';
import { p } from '../../wire/params/coerce.ts';
import { defineMethod } from '../define.ts';
import { messengerLive } from './messenger-live.ts';

/**
 * b24restdocs api-reference/chats/messages/im-message-update.md: the author's own messages of the last three days
 * (else CANT_EDIT_MESSAGE, 403). Absent MESSAGE keeps the text, an empty one deletes the message; ATTACH, KEYBOARD,
 * MENU empty or `N` clear (a malformed MENU is `menu_ERROR`, as this page spells it). A new text always marks the
 * message edited; IS_EDITED=N spares the mark for an ATTACH change only.
 */
export default defineMethod({
  name: 'im.message.update',
  scope: 'im',
  params: {
    MESSAGE_ID: p.id().missing('MESSAGE_ID_ERROR').invalid('MESSAGE_ID_ERROR'),
    MESSAGE: p.string().optional(),
    IS_EDITED: p.bool().default(true),
  },
  async handler({ params, caller, raw }, services) {
    const { domain } = services;
    const message = await domain.messenger.editable(caller.userId, params.MESSAGE_ID);
    if (!message) throw fail('CANT_EDIT_MESSAGE');
    const extras = changedMessageExtras(raw, 0, 'menu_ERROR');
    await domain.messenger.edit({
      message,
      // An empty MESSAGE (which the coercer reads as absent) deletes the message.
      text: raw.MESSAGE === undefined ? undefined : (params.MESSAGE ?? ''),
      extras,
      markEdited: raw.MESSAGE !== undefined || (extras.ATTACH !== undefined && params.IS_EDITED),
      live: messengerLive(services),
    });
    return true;
  },
});
