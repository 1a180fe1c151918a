import { fail } from '../../wire/errors.ts';
import { p } from '../../wire/params/coerce.ts';
import { defineMethod } from '../define.ts';
import { messengerLive } from './messenger-live.ts';

/**
 * b24restdocs api-reference/chats/messages/im-message-delete.md: the author's own messages of the last three days
 * (else CANT_EDIT_MESSAGE, 403); the message stays as a "deleted" mark.
 */
export default defineMethod({
  name: 'im.message.delete',
  scope: 'im',
  params: {
    MESSAGE_ID: p.id().missing('MESSAGE_ID_ERROR').invalid('MESSAGE_ID_ERROR'),
  },
  async handler({ params, caller }, services) {
    const { domain } = services;
    const message = await domain.messenger.editable(caller.userId, params.MESSAGE_ID);
    if (!message) throw fail('CANT_EDIT_MESSAGE');
    await domain.messenger.remove({ message, complete: false, live: messengerLive(services) });
    return true;
  },
});
