import type { HandlerPolicy } from '../../config/handler-allow.ts';
import { MAX_AVATAR_SIDE } from '../../domain/avatars.ts';
import type { Bot } from '../../domain/bots.ts';
import { readImage } from '../../domain/images.ts';
import type { Domain } from '../../domain/index.ts';
import type { UserRow } from '../../domain/user-row.ts';
import { colorName, EVENT_MODES, type EventMode, MAX_BOT_TOKEN_LENGTH } from '../../domain/v2-bots.ts';
import { v2Bot, v2User } from '../../domain/v2-entities.ts';
import { ApiError, ERRORS } from '../../wire/errors.ts';
import { bindParams } from '../../wire/params/bind.ts';
import { p } from '../../wire/params/coerce.ts';
import type { Services } from '../define.ts';
import { checkHandlerUrl } from '../handler-url.ts';
import { fileContent } from '../imbot/file-param.ts';

// `fields.properties` and the settings of imbot.v2.Bot.register / Bot.update (b24restdocs
// chat-bots-v2/imbot.v2/bots/bot-register.md#properties, bot-update.md#fields).

const PROPERTY_ARGS = {
  name: p.string().optional(),
  lastName: p.string().optional(),
  workPosition: p.string().optional(),
  color: p.string().optional(),
  gender: p.string().optional(),
  avatar: p.any().optional(),
};

/**
 * Profile properties → user columns. An unknown colour is ignored ("if specified incorrectly, it is ignored",
 * bot-update.md), and so is a gender other than M or F. `avatar` is stored by `botAvatar`.
 */
export function botProfile(properties: Record<string, unknown>): {
  profile: Partial<UserRow>;
  name: string | undefined;
  avatar: unknown;
} {
  const props = bindParams(PROPERTY_ARGS, properties, 'controller');
  const profile: Partial<UserRow> = {};
  const name = props.name?.trim();
  if (name) profile.name = name;
  if (props.lastName !== undefined) profile.last_name = props.lastName.trim();
  if (props.workPosition !== undefined) profile.work_position = props.workPosition.trim();
  const color = colorName(props.color);
  if (color) profile.color = color;
  const gender = props.gender?.trim().toUpperCase();
  if (gender === 'M' || gender === 'F') profile.personal_gender = gender;
  return { profile, name, avatar: props.avatar };
}

/** `properties.avatar` (Base64): not an image → BOT_AVATAR_INCORRECT_TYPE; over 5000×5000 → …_SIZE. */
export async function botAvatar(domain: Domain, raw: unknown): Promise<string | undefined> {
  if (raw === undefined) return undefined;
  const content = fileContent(raw);
  const image = content && readImage(content);
  if (!image) throw new ApiError('BOT_AVATAR_INCORRECT_TYPE');
  if (image.width > MAX_AVATAR_SIDE || image.height > MAX_AVATAR_SIDE) throw new ApiError('BOT_AVATAR_INCORRECT_SIZE');
  return domain.avatars.save(content);
}

export function eventMode(raw: string | undefined): EventMode | undefined {
  if (raw === undefined) return undefined;
  const mode = EVENT_MODES.find((m) => m === raw.trim().toLowerCase());
  if (!mode) throw new ApiError('BOT_INVALID_EVENT_MODE');
  return mode;
}

export function webhookUrl(raw: string | undefined, policy: HandlerPolicy): string | undefined {
  if (raw === undefined) return undefined;
  return checkHandlerUrl(raw.trim(), policy, 'BOT_INVALID_CALLBACK', ERRORS.BOT_INVALID_CALLBACK[1]);
}

/** A bot token to bind or rotate to: longer than 40 characters → BOT_TOKEN_INVALID_LENGTH. */
export function checkTokenLength(token: string): string {
  if (token.length > MAX_BOT_TOKEN_LENGTH) throw new ApiError('BOT_TOKEN_INVALID_LENGTH');
  return token;
}

/** `{bot, users}` of Bot.register / get / update: the bot (extended for its owner) and its user. */
export async function botAnswer(services: Services, bot: Bot, owner: boolean): Promise<Record<string, unknown>> {
  const { domain, portal } = services;
  const counts = owner ? (await domain.v2Bots.counts([bot.id])).get(bot.id) : undefined;
  const origin = new URL(portal().clientEndpoint).origin;
  return { bot: v2Bot(bot, counts), users: [v2User(bot.user, bot, origin)] };
}
