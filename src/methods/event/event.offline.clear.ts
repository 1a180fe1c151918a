import { defineMethod } from '../define.ts';
import { eventQuery, intval, invalidArgument, missing, offlineScope, phpList, text } from './event-params.ts';

/**
 * b24restdocs api-reference/events/event-offline-clear.md: deletes the rows reserved under `process_id`, or only
 * those listed in `id`, or else in `message_id` (the page: `message_id` is ignored when `id` is given). An empty
 * `process_id` is refused like a missing one, where the rest module would clear every unreserved row.
 */
export default defineMethod({
  name: 'event.offline.clear',
  scope: 'basic',
  auth: 'application',
  params: {},
  async handler({ raw, caller }, { domain }) {
    const query = eventQuery(raw);
    const scope = offlineScope(caller, query);
    const processId = text(query.PROCESS_ID);
    if (!processId) throw missing('PROCESS_ID');
    if (query.ID !== undefined) {
      const ids = phpList(query.ID, 'Value must be array of integers').map(intval);
      if (ids.some((id) => id <= 0)) throw invalidArgument('Value must be array of integers');
      await domain.offlineEvents.clear(scope, processId, { ids });
    } else if (query.MESSAGE_ID !== undefined) {
      await domain.offlineEvents.clear(scope, processId, { messageIds: messageIds(query.MESSAGE_ID) });
    } else {
      await domain.offlineEvents.clear(scope, processId, {});
    }
    return true;
  },
});

/** MESSAGE_ID values are 32 characters (the rest module checks). */
function messageIds(value: unknown): string[] {
  const ids = phpList(value, 'Value must be array of MESSAGE_ID values').map(text);
  if (ids.some((id) => id.length !== 32)) throw invalidArgument('Value must be array of MESSAGE_ID values');
  return ids;
}
