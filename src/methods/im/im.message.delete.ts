import { fail } from '../../wire/errors.ts';
import { defineMethod } from '../define.ts';
import { messengerLive } from './messenger-live.ts';
import { messageIdParam } from './php-int.ts';

/**
 * b24restdocs api-reference/chats/messages/im-message-delete.md: the author's own messages of the last three days
 * (else CANT_EDIT_MESSAGE, 403); the message stays as a "deleted" mark. MESSAGE_ID (or ID) as messageIdParam reads it.
 */
export default defineMethod({
  name: 'im.message.delete',
  scope: 'im',
  params: {},
  async handler({ caller, raw }, services) {
    const { domain } = services;
    const message = await domain.messenger.editable(caller.userId, messageIdParam(raw));
    if (!message) throw fail('CANT_EDIT_MESSAGE');
    const removed = await domain.messenger.remove({ message, complete: false, live: messengerLive(services) });
    if (!removed) throw fail('CANT_EDIT_MESSAGE');
    return true;
  },
});
