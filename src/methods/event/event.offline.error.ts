import { defineMethod } from '../define.ts';
import { eventQuery, missing, offlineScope, phpList, text } from './event-params.ts';

/**
 * b24restdocs api-reference/events/event-offline-error.md: marks the listed rows of a reservation as erroneous;
 * they leave the reservation and come back from event.offline.get with `error=1`.
 */
export default defineMethod({
  name: 'event.offline.error',
  scope: 'basic',
  auth: 'application',
  params: {},
  async handler({ raw, caller }, { domain }) {
    const query = eventQuery(raw);
    const scope = offlineScope(caller, query);
    const processId = text(query.PROCESS_ID);
    if (!processId) throw missing('PROCESS_ID');
    const messageIds = phpList(query.MESSAGE_ID, 'Value must be array of MESSAGE_ID values').map(text);
    if (messageIds.length) await domain.offlineEvents.markError(scope, processId, messageIds);
    return true;
  },
});
