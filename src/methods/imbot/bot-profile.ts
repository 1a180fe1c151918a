import type { HandlerPolicy } from '../../config/handler-allow.ts';
import type { Avatars } from '../../domain/avatars.ts';
import { BOT_PROPERTIES, HANDLER_EVENTS, type HandlerName, type Handlers } from '../../domain/bots.ts';
import { COLORS } from '../../domain/chats.ts';
import type { UserRow } from '../../domain/user-row.ts';
import { ApiError, type ErrorCode } from '../../wire/errors.ts';
import { checkHandlerUrl } from '../handler-url.ts';
import { fileContent } from './file-param.ts';

/**
 * PROPERTIES of imbot.register / imbot.update → user columns, as CIMRestService::botRegister / botUpdate hand them on:
 * a COLOR outside the 16 or a PERSONAL_GENDER other than M/F is dropped and the call goes on (Bot::register passes
 * COLOR to CIMStatus::SetColor and the rest to CUser::Add, neither refusing the call); PERSONAL_BIRTHDAY is read as
 * `Y-m-d` (month and day of one or two digits, as PHP's date_parse_from_format reads them), and anything else
 * refused, as the platform's `new DateTime($value.' 19:45:00', 'Y-m-d H:i:s')` throws "Incorrect date/time" there.
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
  if (profile.color !== undefined) {
    profile.color = profile.color.toUpperCase();
    if (!(profile.color in COLORS)) delete profile.color;
  }
  if (profile.personal_gender !== undefined) {
    profile.personal_gender = profile.personal_gender.toUpperCase();
    if (!['M', 'F'].includes(profile.personal_gender)) delete profile.personal_gender;
  }
  if (profile.personal_birthday) {
    const date = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(profile.personal_birthday);
    if (!date) throw new ApiError('WRONG_REQUEST', 'PROPERTIES[PERSONAL_BIRTHDAY] must be YYYY-MM-DD');
    profile.personal_birthday = `${date[1]}-${date[2].padStart(2, '0')}-${date[3].padStart(2, '0')}`;
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
