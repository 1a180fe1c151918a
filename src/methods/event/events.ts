import { EVENT_CATALOG, eventsForScopes } from '../../domain/event-catalog.ts';
import { bindParams } from '../../wire/params/bind.ts';
import { p } from '../../wire/params/coerce.ts';
import { defineMethod } from '../define.ts';
import { eventQuery, text } from './event-params.ts';

/**
 * b24restdocs api-reference/events/events.md: event names the application can bind. SCOPE (present, even
 * empty) picks one scope's events — an empty one leaves only `basic`'s, as the rest module does; FULL every
 * event; neither: the application's scopes and `basic`.
 */
export default defineMethod({
  name: 'events',
  scope: 'basic',
  auth: 'application',
  params: {},
  async handler({ raw, caller }) {
    const query = eventQuery(raw);
    if (query.SCOPE !== undefined) {
      const scope = text(query.SCOPE) || 'basic';
      return Object.keys(EVENT_CATALOG).filter((name) => EVENT_CATALOG[name].scope === scope);
    }
    const { FULL } = bindParams({ FULL: p.bool().optional() }, query);
    return FULL ? Object.keys(EVENT_CATALOG) : eventsForScopes(caller.scopes);
  },
});
