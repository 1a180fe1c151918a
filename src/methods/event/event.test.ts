import { defineMethod } from '../define.ts';

/**
 * b24restdocs api-reference/events/test-handler.md: fires ONAPPTEST to the application's handlers with
 * `data[QUERY]` = the call's params and answers 1 once it is queued.
 */
export default defineMethod({
  name: 'event.test',
  scope: 'basic',
  auth: 'application',
  params: {},
  async handler({ raw, caller }, { domain }) {
    await domain.eventHandlers.test(caller.app!.id, caller.userId, raw);
    return 1;
  },
});
