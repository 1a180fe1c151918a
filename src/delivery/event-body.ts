import qs from 'qs';
import { type AuthSet, type BotEventData, botEventData } from '../domain/event-data.ts';

/** One event as it leaves the log for one handler, resolved (tokens, user): everything the POST carries. */
export interface EventPost {
  event: string;
  handlerId: number;
  /** Send time, ms since the epoch. */
  sentAt: number;
  auth: AuthSet;
  /** Application events: `data` as fired. */
  data?: Record<string, unknown>;
  /** Chat-bot events. */
  bot?: BotEventData;
}

/** The event as Bitrix24's queue server posts it, before form encoding: `event, event_handler_id, data, ts, auth`. */
export function eventPayload(post: EventPost): Record<string, unknown> {
  return {
    event: post.event,
    event_handler_id: post.handlerId,
    data: post.bot ? botEventData(post.event, post.bot) : (post.data ?? {}),
    ts: Math.floor(post.sentAt / 1000),
    auth: post.auth,
  };
}

/**
 * `application/x-www-form-urlencoded` the way PHP's http_build_query writes it: bracketed keys (`data[PARAMS][X]`),
 * list items by index, every scalar a string (`true` → `1`, `false` → `0`, `null` → empty).
 */
export function formEncode(payload: Record<string, unknown>): string {
  return qs.stringify(stringifyScalars(payload), { arrayFormat: 'indices' });
}

function stringifyScalars(value: unknown): unknown {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (Array.isArray(value)) return value.map(stringifyScalars);
  if (typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, stringifyScalars(v)]));
  }
  return String(value);
}
