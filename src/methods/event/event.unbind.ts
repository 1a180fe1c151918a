import { ApiError } from '../../wire/errors.ts';
import { defineMethod } from '../define.ts';
import { eventQuery, intval, text } from './event-params.ts';
import { eventSubscription } from './event-subscription.ts';

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
    const { event, offline, handler } = eventSubscription(
      query,
      caller,
      'Access denied! Offline events unbinding requires administrator access rights',
    );
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
