import { defineMethod } from '../define.ts';

/**
 * b24restdocs chat-bots-v2/im.v2/events/event-unsubscribe.md: stop recording; events already recorded stay until
 * acknowledged or expired.
 */
export default defineMethod({
  name: 'im.v2.Event.unsubscribe',
  scope: 'im',
  params: {},
  async handler({ caller }, { domain }) {
    await domain.v2Events.unsubscribe(caller.userId);
    return true;
  },
});
