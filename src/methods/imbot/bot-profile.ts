import type { HandlerPolicy } from '../../config/handler-allow.ts';
import type { Avatars } from '../../domain/avatars.ts';
import { BOT_PROPERTIES, HANDLER_EVENTS, type HandlerName, type Handlers } from '../../domain/bots.ts';
import { COLORS } from '../../domain/chats.ts';
import type { UserRow } from '../../domain/user-row.ts';
import { ApiError, type ErrorCode } from '../../wire/errors.ts';
import { checkHandlerUrl } from '../handler-url.ts';
import { fileContent } from './file-param.ts';

/**
 * PROPERTIES of imbot.register / imbot.update → user columns; unknown COLOR or gender is a clear error.
 * PERSONAL_PHOTO is a file, stored by `botPhoto`.
 */
export function botProfile(properties: Record<string, unknown>): Partial<UserRow> {
  const profile: Partial<UserRow> = {};
  for (const [key, column] of Object.entries(BOT_PROPERTIES)) {
    const value = properties[key];
    if (value === undefined || value === null || key === 'PERSONAL_PHOTO') continue;
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
  if (profile.personal_gender) {
    profile.personal_gender = profile.personal_gender.toUpperCase();
    if (!['M', 'F'].includes(profile.personal_gender)) {
      throw new ApiError('WRONG_REQUEST', 'PROPERTIES[PERSONAL_GENDER] must be M or F');
    }
  }
  if (profile.personal_birthday && !/^\d{4}-\d{2}-\d{2}$/.test(profile.personal_birthday)) {
    throw new ApiError('WRONG_REQUEST', 'PROPERTIES[PERSONAL_BIRTHDAY] must be YYYY-MM-DD');
  }
  return profile;
}

/** PERSONAL_PHOTO (Base64) → the stored avatar's path; no readable image of at most 5000x5000 → none (dropped). */
export async function botPhoto(avatars: Avatars, properties: Record<string, unknown>): Promise<string | undefined> {
  const photo = properties.PERSONAL_PHOTO;
  if (photo === undefined || photo === null || photo === '') return undefined;
  return avatars.saveReadable(fileContent(photo));
}

const MISSING: Partial<Record<HandlerName, string>> = {
  EVENT_MESSAGE_ADD: 'Handler for "Message add" event isn\'t specified',
  EVENT_WELCOME_MESSAGE: 'Handler for "Welcome message" event isn\'t specified',
  EVENT_BOT_DELETE: 'Handler for "Bot delete" event isn\'t specified',
};

/**
 * Handler URLs from the separate EVENT_* params, or EVENT_HANDLER, which when given is copied into all five
 * (b24restdocs imbot.register). `required`: register needs the three marked in MISSING. In the order of the page's
 * error table, a missing one is its MISSING text and a bad URL `{NAME}_ERROR` "Wrong handler URL".
 */
export function botHandlers(raw: Record<string, unknown>, required: boolean, policy: HandlerPolicy): Handlers {
  const handlers: Handlers = {};
  const common = raw.EVENT_HANDLER;
  const hasCommon = common !== undefined && common !== null && common !== '';
  for (const name of Object.keys(HANDLER_EVENTS) as HandlerName[]) {
    const value = hasCommon ? common : raw[name];
    if (value === undefined || value === null || value === '') {
      if (required && MISSING[name]) throw new ApiError(`${name}_ERROR` as ErrorCode, MISSING[name]);
      continue;
    }
    handlers[name] = checkHandlerUrl(value, policy, `${name}_ERROR` as ErrorCode, 'Wrong handler URL');
  }
  return handlers;
}
