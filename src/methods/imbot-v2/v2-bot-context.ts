import type { Bot } from '../../domain/bots.ts';
import type { Caller } from '../../domain/caller.ts';
import type { Dialog } from '../../domain/dialogs.ts';
import type { Domain } from '../../domain/index.ts';
import { ApiError } from '../../wire/errors.ts';
import { bindParams } from '../../wire/params/bind.ts';
import { coerceInt, INVALID, type ParamShape, type ParamValues } from '../../wire/params/coerce.ts';
import type { Params } from '../../wire/params/nest.ts';
import { defineMethod, type Method, type Services } from '../define.ts';

/**
 * The application a v2 call acts for (b24restdocs chat-bots-v2/index.md#auth): OAuth → the token's application
 * (`botToken` not needed); webhook → the bot token, which is the webhook's CLIENT_ID: the application is
 * `custom{botToken}`, so v1 calls with `CLIENT_ID={botToken}` reach the same bots (docs/decisions.md, "v2 API").
 */
export function v2Application(caller: Caller, token: unknown): string {
  if (caller.app) return caller.app.clientId;
  const text = typeof token === 'string' || typeof token === 'number' ? String(token).trim() : '';
  if (!text) throw new ApiError('BOT_TOKEN_NOT_SPECIFIED');
  return `custom${text}`;
}

/** `botId` as the pages check it: absent → BOT_ID_REQUIRED; not a positive integer, or no such bot → BOT_NOT_FOUND. */
export async function v2BotById(domain: Domain, raw: unknown): Promise<Bot> {
  if (raw === undefined || raw === null || raw === '') throw new ApiError('BOT_ID_REQUIRED');
  const id = coerceInt(raw);
  const bot = id === INVALID || id <= 0 ? undefined : await domain.bots.get(id);
  if (!bot) throw new ApiError('BOT_NOT_FOUND');
  return bot;
}

/**
 * The bot a call acts as, checked in the order of the pages' error tables: BOT_TOKEN_NOT_SPECIFIED,
 * BOT_ID_REQUIRED, BOT_NOT_FOUND, BOT_OWNERSHIP_ERROR (a bot of another application, or a rotated-out token).
 */
export async function v2OwnBot(domain: Domain, caller: Caller, raw: Params): Promise<Bot> {
  const app = v2Application(caller, raw.botToken);
  const bot = await v2BotById(domain, raw.botId);
  if (bot.app_key !== app) throw new ApiError('BOT_OWNERSHIP_ERROR');
  return bot;
}

/** `ACCESS_DENIED` as the v2 pages word it (chat-input-action-notify.md: bot not a participant). */
export function accessDenied(): ApiError {
  return new ApiError('ACCESS_DENIED', 'Access denied');
}

/**
 * A dialog the bot takes part in: `chat{N}` it is a member of, or the private dialog with an active user.
 * Anything else, a malformed dialogId included, is a dialog the bot is not in: ACCESS_DENIED.
 */
export async function v2Dialog(domain: Domain, bot: Bot, dialogId: string): Promise<Dialog> {
  const outcome = await domain.dialogs.resolve(bot.id, dialogId);
  if (outcome.status !== 'found') throw accessDenied();
  return outcome.dialog;
}

export interface BotCall<A> {
  bot: Bot;
  args: A;
  caller: Caller;
  raw: Params;
}

/**
 * An imbot.v2 method acting as one of the caller's bots ("who can execute: owner of the registered bot"): the bot
 * checks run first, then the arguments are bound (error 100), then the handler.
 */
export function defineBotMethod<S extends ParamShape>(definition: {
  name: string;
  args: S;
  handler(call: BotCall<ParamValues<S>>, services: Services): Promise<unknown>;
}): Method {
  return defineMethod({
    name: definition.name,
    scope: 'imbot',
    params: {},
    async handler({ caller, raw }, services) {
      const bot = await v2OwnBot(services.domain, caller, raw);
      const args = bindParams(definition.args, raw, 'controller');
      return definition.handler({ bot, args, caller, raw }, services);
    },
  });
}
