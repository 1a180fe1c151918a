import { MAX_BOT_CODE } from '../../domain/bots.ts';
import { requireApplication } from '../../domain/caller.ts';
import type { UserRow } from '../../domain/user-row.ts';
import { ApiError, fail } from '../../wire/errors.ts';
import { p } from '../../wire/params/coerce.ts';
import { defineMethod } from '../define.ts';
import { botHandlers, botPhoto, botProfile } from './bot-profile.ts';

const EMPTY = "Update fields can't be empty";

/**
 * b24restdocs api-reference/chat-bots/outdated/bots/imbot-update.md. TYPE and OPENLINE cannot be changed: FIELDS
 * keys other than CODE, the handlers and PROPERTIES are not read, and FIELDS with nothing else is "empty".
 */
export default defineMethod({
  name: 'imbot.update',
  scope: 'imbot',
  applicationFirst: true,
  params: {
    BOT_ID: p.id().optional().invalid('BOT_ID_ERROR'),
    FIELDS: p.object().optional().invalid('WRONG_REQUEST', EMPTY),
    CLIENT_ID: p.string().optional(),
  },
  async handler({ params, caller, raw }, { domain, config }) {
    const appKey = requireApplication(caller, raw);
    if (params.BOT_ID === undefined) throw fail('BOT_ID_ERROR');
    const bot = await domain.bots.resolve(appKey, params.BOT_ID);
    const fields = params.FIELDS ?? {};
    if (!Object.keys(fields).length) throw new ApiError('WRONG_REQUEST', EMPTY);
    const handlers = botHandlers(fields, false, config.handlerPolicy);
    const code = readCode(fields.CODE);
    const properties = readProperties(fields.PROPERTIES);
    const profile: Partial<UserRow> = botProfile(properties);
    // "If both values NAME and LAST_NAME are provided, they must not be empty at the same time": judged on the
    // name the bot would end up with, so clearing the only one it has is refused too.
    const name = profile.name ?? bot.user.name;
    const lastName = profile.last_name ?? bot.user.last_name;
    if (('name' in profile || 'last_name' in profile) && !name && !lastName) throw fail('NAME_ERROR');
    const photo = await botPhoto(domain.avatars, properties);
    if (photo) profile.personal_photo = photo;
    if (code === undefined && !Object.keys(handlers).length && !Object.keys(profile).length) {
      throw new ApiError('WRONG_REQUEST', EMPTY);
    }
    await domain.bots.update(bot, { code, handlers, profile });
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
