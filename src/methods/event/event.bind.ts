import { type HandlerPolicy, handlerUrlRefusal } from '../../config/handler-allow.ts';
import { EVENT_CATALOG, eventsForScopes } from '../../domain/event-catalog.ts';
import { ApiError } from '../../wire/errors.ts';
import { defineMethod } from '../define.ts';
import { eventQuery, intval, invalidArgument, text } from './event-params.ts';
import { eventSubscription } from './event-subscription.ts';

/**
 * b24restdocs api-reference/events/event-bind.md. Checks run in the rest module's order: AUTH_TYPE rights, EVENT,
 * EVENT_TYPE, offline rights or HANDLER, the handler URL, the event among the application's scopes.
 */
export default defineMethod({
  name: 'event.bind',
  scope: 'basic',
  auth: 'application',
  params: {},
  async handler({ raw, caller }, { domain, config }) {
    const query = eventQuery(raw);
    let userId = intval(query.AUTH_TYPE);
    if (userId > 0) {
      if (!caller.isAdmin && userId !== caller.userId) {
        throw new ApiError(
          'ACCESS_DENIED',
          'Access denied! Event binding with AUTH_TYPE requires administrator access rights',
        );
      }
    } else if (!caller.isAdmin) {
      userId = caller.userId; // a user's subscriptions act as that user
    }
    const { event, offline, handler } = eventSubscription(
      query,
      caller,
      'Access denied! Offline events binding requires administrator access rights',
    );
    if (offline) userId = 0;
    else checkHandler(handler, config.handlerPolicy);
    const spec = EVENT_CATALOG[event];
    if (!spec || !eventsForScopes(caller.scopes).includes(event)) throw new ApiError('ERROR_EVENT_NOT_FOUND');
    if (offline && spec.onlineOnly) throw invalidArgument('Offline event cannot be registered for this event.');
    const authConnector = offline ? text(query.AUTH_CONNECTOR) : '';
    // An indexed column (one waiting offline event per object and connector): bounded like the platform's strings.
    if (authConnector.length > 255) throw invalidArgument('AUTH_CONNECTOR must not be longer than 255 characters.');
    await domain.eventHandlers.bind({
      appId: caller.app!.id,
      event,
      handler,
      offline,
      userId,
      authConnector,
      options: eventOptions(spec.options, query.OPTIONS),
    });
    return true;
  },
});

/**
 * http(s) only, a host with a dot (as Bitrix24; B24_HANDLER_DOTLESS=on takes `localhost`), and where
 * B24_HANDLER_ALLOW lets events go (docs/decisions.md "Events").
 */
function checkHandler(url: string, policy: HandlerPolicy): void {
  const refusal = handlerUrlRefusal(policy, url);
  if (refusal?.kind === 'protocol') throw new ApiError('ERROR_UNSUPPORTED_PROTOCOL');
  if (refusal?.kind === 'url') {
    const error = new ApiError('ERROR_WRONG_HANDLER_URL');
    error.hint = refusal.hint;
    throw error;
  }
  if (refusal) throw new ApiError('ERROR_WRONG_HANDLER_URL', `Wrong handler URL: ${refusal.reason}`);
}

/** Only the options an event declares are kept, coerced to their type; others are ignored like the rest module does. */
function eventOptions(allowed: Record<string, 'int'> | undefined, given: unknown): Record<string, unknown> {
  if (!allowed || !given || typeof given !== 'object' || Array.isArray(given)) return {};
  const options: Record<string, unknown> = {};
  for (const name of Object.keys(allowed)) {
    const value = (given as Record<string, unknown>)[name];
    if (value !== undefined) options[name] = intval(value);
  }
  return options;
}
