import { defineMethod, page, pageStart } from '../define.ts';
import { eventQuery, offlineScope } from './event-params.ts';

/**
 * b24restdocs api-reference/events/event-offline-list.md: the queue without changing it, 50 rows per page
 * (`start`), with PROCESS_ID and ERROR, `total`. Order defaults to ID ASC.
 */
export default defineMethod({
  name: 'event.offline.list',
  scope: 'basic',
  auth: 'application',
  params: {},
  async handler({ raw, caller }, { domain }) {
    const query = eventQuery(raw);
    const scope = offlineScope(caller, query);
    const start = pageStart(raw);
    const { rows, total } = await domain.offlineEvents.list(scope, {
      filter: query.FILTER,
      order: query.ORDER,
      start: Math.max(0, start),
    });
    return page(rows, total, start);
  },
});
