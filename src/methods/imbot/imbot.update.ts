import { BOT_TYPES, MAX_BOT_CODE } from '../../domain/bots.ts';
import { requireApplication } from '../../domain/caller.ts';
import { isRecord } from '../../domain/json-param.ts';
import type { UserRow } from '../../domain/user-row.ts';
import { ApiError, fail } from '../../wire/errors.ts';
import { p } from '../../wire/params/coerce.ts';
import { looseEquals, phpEmpty } from '../../wire/params/php.ts';
import { defineMethod } from '../define.ts';
import { botIdParam } from './bot-context.ts';
import { botHandlers, botPhoto, botProfile } from './bot-profile.ts';

const EMPTY = "Update fields can't be empty";

/**
 * b24restdocs api-reference/chat-bots/outdated/bots/imbot-update.md, checked as CIMRestService::botUpdate checks:
 * application, BOT_ID (required), the bot's application, the handlers in FIELDS, then CODE, TYPE, OPENLINE and
 * PROPERTIES. As there, FIELDS TYPE counts only when the call's own top-level TYPE is O, B or H (botUpdate tests that
 * one, not FIELDS TYPE) and then changes the bot's type (to one of O, B, H, S; b24-local stores no other); FIELDS
 * OPENLINE is taken and changes nothing (Bot::update has no OPENLINE; the page says it cannot change). A blank NAME
 * keeps the name (Bot::update drops it). A field given, even one that changes nothing, answers `true`; FIELDS with
 * none is "empty".
 */
export default defineMethod({
  name: 'imbot.update',
  scope: 'imbot',
  applicationFirst: true,
  params: { CLIENT_ID: p.string().optional() },
  async handler({ caller, raw }, { domain, config }) {
    const appKey = requireApplication(caller, raw);
    const botId = botIdParam(raw);
    if (botId === undefined) throw fail('BOT_ID_ERROR');
    const bot = await domain.bots.resolve(appKey, botId);
    const fields = isRecord(raw.FIELDS) ? raw.FIELDS : {};
    const handlers = botHandlers(fields, false, config.handlerPolicy);
    const code = readCode(fields.CODE);
    const typeGiven = !phpEmpty(fields.TYPE) && ['O', 'B', 'H'].some((t) => looseEquals(raw.TYPE, t));
    const type = typeGiven ? BOT_TYPES.find((t) => t === fields.TYPE) : undefined;
    const openlineGiven = !phpEmpty(fields.OPENLINE);
    const properties = readProperties(fields.PROPERTIES);
    const profile: Partial<UserRow> = botProfile(properties);
    // NAME_ERROR only when both names are sent and both are empty, as botUpdate checks it.
    if ('name' in profile && 'last_name' in profile && !profile.name && !profile.last_name) throw fail('NAME_ERROR');
    const photo = await botPhoto(domain.avatars, properties);
    if (photo) profile.personal_photo = photo;
    // A COLOR or gender botProfile dropped still counts as given: botUpdate puts every set property in its update.
    const dropped = ['COLOR', 'PERSONAL_GENDER'].some(
      (key) => properties[key] !== undefined && properties[key] !== null,
    );
    const propertiesGiven = Object.keys(profile).length > 0 || dropped;
    if (profile.name === '') delete profile.name;
    const given = code !== undefined || typeGiven || openlineGiven || propertiesGiven;
    if (!given && !Object.keys(handlers).length) throw new ApiError('WRONG_REQUEST', EMPTY);
    await domain.bots.update(bot, { code, type, handlers, profile });
    return true;
  },
});

function readCode(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' && typeof value !== 'number')
    throw new ApiError('WRONG_REQUEST', "Bot can't be updated");
  const code = String(value).trim();
  if (code.length > MAX_BOT_CODE) throw new ApiError('WRONG_REQUEST', "Bot can't be updated");
  return code || undefined;
}

function readProperties(value: unknown): Record<string, unknown> {
  if (value === undefined || value === null || value === '') return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new ApiError('WRONG_REQUEST', "Bot can't be updated");
  return value as Record<string, unknown>;
}
