import { ApiError } from '../../http/errors.ts';
import { defineMethod } from '../define.ts';
import { eventQuery, eventType, intval, missing, text } from './event-params.ts';

/**
 * b24restdocs api-reference/events/event-unbind.md → `{count}`. An administrator removes every user's
 * subscriptions unless AUTH_TYPE names one; a user only their own. The rest module compares a non-admin's
 * AUTH_TYPE strictly with their id, so only a JSON integer equal to it passes (the page: the string "15" or 0 is
 * ACCESS_DENIED).
 */
export default defineMethod({
  name: 'event.unbind',
  scope: 'basic',
  auth: 'application',
  params: {},
  async handler({ raw, caller }, { domain }) {
    const query = eventQuery(raw);
    const event = text(query.EVENT).toUpperCase();
    if (!event) throw missing('EVENT');
    const offline = eventType(query.EVENT_TYPE) === 'offline';
    let handler = text(query.HANDLER);
    if (offline) {
      if (!caller.isAdmin) {
        throw new ApiError(
          'ACCESS_DENIED',
          'Access denied! Offline events unbinding requires administrator access rights',
        );
      }
      handler = '';
    } else if (!handler) {
      throw missing('HANDLER');
    }
    let userId: number | undefined;
    if (!offline && query.AUTH_TYPE !== undefined) {
      if (!caller.isAdmin && query.AUTH_TYPE !== caller.userId) {
        throw new ApiError(
          'ACCESS_DENIED',
          'Access denied! Event unbinding with AUTH_TYPE requires administrator access rights',
        );
      }
      userId = intval(query.AUTH_TYPE);
    } else if (!offline && !caller.isAdmin) {
      userId = caller.userId;
    }
    const count = await domain.eventHandlers.unbind({
      appId: caller.app!.id,
      event,
      handler,
      offline,
      userId,
      authConnector: text(query.AUTH_CONNECTOR),
    });
    return { count };
  },
});
