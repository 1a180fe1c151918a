import type { Caller } from '../../domain/caller.ts';
import { ApiError } from '../../wire/errors.ts';
import type { Params } from '../../wire/params/nest.ts';
import { eventType, missing, text } from './event-params.ts';

/** The subscription event.bind and event.unbind name. */
export interface EventSubscription {
  event: string;
  offline: boolean;
  /** '' for an offline subscription, which has no handler. */
  handler: string;
}

/**
 * EVENT, EVENT_TYPE, then HANDLER or the offline rights, in the rest module's order for both methods.
 * `offlineDenied`: the method's own ACCESS_DENIED wording for a non-administrator's offline subscription.
 */
export function eventSubscription(query: Params, caller: Caller, offlineDenied: string): EventSubscription {
  const event = text(query.EVENT).toUpperCase();
  if (!event) throw missing('EVENT');
  const offline = eventType(query.EVENT_TYPE) === 'offline';
  if (offline) {
    if (!caller.isAdmin) throw new ApiError('ACCESS_DENIED', offlineDenied);
    return { event, offline, handler: '' };
  }
  const handler = text(query.HANDLER);
  if (!handler) throw missing('HANDLER');
  return { event, offline, handler };
}
