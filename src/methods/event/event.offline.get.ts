import { defineMethod } from '../define.ts';
import { eventQuery, intval, invalidArgument, offlineScope, text } from './event-params.ts';

/**
 * b24restdocs api-reference/events/event-offline-get.md → `{process_id, events}`. `clear` (default 1) deletes
 * what it returns; `clear=0` reserves it under a new `process_id` for event.offline.clear; `process_id` re-reads
 * that reservation; `error=1` returns rows marked by event.offline.error. Order defaults to TIMESTAMP_X ASC.
 */
export default defineMethod({
  name: 'event.offline.get',
  scope: 'basic',
  auth: 'application',
  params: {},
  async handler({ raw, caller }, { domain }) {
    const query = eventQuery(raw);
    const scope = offlineScope(caller, query);
    const limit = query.LIMIT === undefined ? 50 : intval(query.LIMIT);
    if (limit <= 0) throw invalidArgument('Value must be positive integer');
    return domain.offlineEvents.get(scope, {
      filter: query.FILTER,
      order: query.ORDER,
      limit,
      clear: query.CLEAR === undefined || intval(query.CLEAR) !== 0,
      processId: query.PROCESS_ID === undefined ? null : text(query.PROCESS_ID),
      error: intval(query.ERROR) === 1,
    });
  },
});
