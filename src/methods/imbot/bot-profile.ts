import { BOT_PROPERTIES, HANDLER_EVENTS, type HandlerName, type Handlers, isHandlerUrl } from '../../domain/bots.ts';
import { COLORS } from '../../domain/chats.ts';
import type { UserRow } from '../../domain/users.ts';
import { ApiError, type ErrorCode } from '../../http/errors.ts';

/** PROPERTIES of imbot.register / imbot.update → user columns; unknown COLOR or gender is a clear error. */
export function botProfile(properties: Record<string, unknown>): Partial<UserRow> {
  const profile: Partial<UserRow> = {};
  for (const [key, column] of Object.entries(BOT_PROPERTIES)) {
    const value = properties[key];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string' && typeof value !== 'number') {
      throw new ApiError('WRONG_REQUEST', `PROPERTIES[${key}] must be a string`);
    }
    (profile as Record<string, unknown>)[column] = String(value).trim();
  }
  if (profile.color) {
    profile.color = profile.color.toUpperCase();
    if (!(profile.color in COLORS))
      throw new ApiError('WRONG_REQUEST', `PROPERTIES[COLOR] must be one of ${Object.keys(COLORS).join(', ')}`);
  }
  if (profile.personal_gender && !['M', 'F'].includes(profile.personal_gender.toUpperCase())) {
    throw new ApiError('WRONG_REQUEST', 'PROPERTIES[PERSONAL_GENDER] must be M or F');
  }
  return profile;
}

const MISSING: Partial<Record<HandlerName, string>> = {
  EVENT_MESSAGE_ADD: 'Handler for "Message add" event isn\'t specified',
  EVENT_WELCOME_MESSAGE: 'Handler for "Welcome message" event isn\'t specified',
  EVENT_BOT_DELETE: 'Handler for "Bot delete" event isn\'t specified',
};

/**
 * Handler URLs from EVENT_HANDLER (fills all five) and the separate EVENT_* params. `required`: register needs
 * the three marked in MISSING. Each bad URL is `{NAME}_ERROR` "Wrong handler URL".
 */
export function botHandlers(raw: Record<string, unknown>, required: boolean): Handlers {
  const handlers: Handlers = {};
  const common = raw.EVENT_HANDLER;
  for (const name of Object.keys(HANDLER_EVENTS) as HandlerName[]) {
    const value = raw[name] ?? common;
    if (value === undefined || value === null || value === '') {
      if (required && MISSING[name]) throw new ApiError(`${name}_ERROR` as ErrorCode, MISSING[name]);
      continue;
    }
    if (typeof value !== 'string' || !isHandlerUrl(value)) {
      throw new ApiError(`${name}_ERROR` as ErrorCode, 'Wrong handler URL');
    }
    handlers[name] = value;
  }
  return handlers;
}
