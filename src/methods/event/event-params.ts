import type { Caller } from '../../domain/caller.ts';
import type { OfflineScope } from '../../domain/offline-events.ts';
import { ApiError } from '../../wire/errors.ts';
import type { Params } from '../../wire/params/nest.ts';

/** The rest module reads event.* params case-insensitively (`event` or `EVENT`). */
export function eventQuery(raw: Params): Params {
  return Object.fromEntries(Object.entries(raw).map(([key, value]) => [key.toUpperCase(), value]));
}

/** A scalar param as a trimmed string; absent or not a scalar → ''. */
export function text(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value).trim() : '';
}

/** PHP's intval: leading digits, otherwise 0. */
export function intval(value: unknown): number {
  const n = Number.parseInt(text(value), 10);
  return Number.isNaN(n) ? 0 : n;
}

/** The rest module's ArgumentNullException as REST answers it. */
export function missing(name: string): ApiError {
  return new ApiError('ERROR_ARGUMENT', `Argument '${name}' is null or empty`, 400);
}

export function invalidArgument(description: string): ApiError {
  return new ApiError('ERROR_ARGUMENT', description, 400);
}

/** EVENT_TYPE: `online` (default) or `offline`, any case. */
export function eventType(value: unknown): 'online' | 'offline' {
  const type = text(value).toLowerCase() || 'online';
  if (type !== 'online' && type !== 'offline') throw invalidArgument('Value must be one of {online|offline}');
  return type;
}

/** The offline queue is for administrators only (b24restdocs api-reference/events/event-offline-get.md). */
export function offlineScope(caller: Caller, query: Params): OfflineScope {
  if (!caller.isAdmin) throw new ApiError('ACCESS_DENIED', 'Access denied!');
  return { appId: caller.app!.id, connector: text(query.AUTH_CONNECTOR) };
}

/** A PHP array param: a JSON list, `a[]=`, or `a[0]=` (an object with numeric keys). */
export function phpList(value: unknown, description: string): unknown[] {
  if (Array.isArray(value)) return value;
  if (value && typeof value === 'object') return Object.values(value);
  throw invalidArgument(description);
}
