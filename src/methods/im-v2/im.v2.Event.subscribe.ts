import { defineMethod } from '../define.ts';

/** b24restdocs chat-bots-v2/im.v2/events/event-subscribe.md: record the calling user's events; idempotent. */
export default defineMethod({
  name: 'im.v2.Event.subscribe',
  scope: 'im',
  params: {},
  async handler({ caller }, { domain }) {
    await domain.v2Events.subscribe(caller.userId);
    return true;
  },
});
