import type { Bot } from '../../domain/bots.ts';
import { type Caller, requireApplication } from '../../domain/caller.ts';
import type { Domain } from '../../domain/index.ts';
import type { MaybePromise } from '../../wire/maybe-promise.ts';
import { p } from '../../wire/params/coerce.ts';
import type { Params } from '../../wire/params/nest.ts';
import { arrayKey } from '../../wire/params/php.ts';

/** CLIENT_ID of a webhook call: the application becomes `custom{CLIENT_ID}`. BOT_ID is read by `actingBot`. */
export const botContext = {
  CLIENT_ID: p.string().optional(),
};

/**
 * BOT_ID as CIMRestService looks it up (`isset($bots[$arParams['BOT_ID']])`): absent or null → undefined; given,
 * it must be a bot's id as an array key, so "", "abc", " 39" or "039" name no bot (0 → BOT_ID_ERROR).
 */
export function botIdParam(raw: Params): number | undefined {
  return raw.BOT_ID === undefined || raw.BOT_ID === null ? undefined : arrayKey(raw.BOT_ID);
}

/**
 * The bot a call acts as, as CIMRestService::getBotId finds it: the application (ACCESS_DENIED "Client ID not
 * specified" on a webhook without CLIENT_ID), then BOT_ID (absent: the application's first bot) → BOT_ID_ERROR,
 * another application's bot → APP_ID_ERROR.
 */
export function actingBot(domain: Domain, caller: Caller, raw: Params): MaybePromise<Bot> {
  return domain.bots.resolve(requireApplication(caller, raw), botIdParam(raw));
}
