import type { Bot } from '../../domain/bots.ts';
import { type Caller, requireApplication } from '../../domain/caller.ts';
import type { Domain } from '../../domain/index.ts';
import { p } from '../../wire/params/coerce.ts';
import type { Params } from '../../wire/params/nest.ts';

/**
 * The params every v1 bot method shares: BOT_ID (absent → the app's first bot; a non-numeric or non-positive
 * value is a bot that cannot exist → BOT_ID_ERROR) and CLIENT_ID (webhooks; the app becomes `custom{CLIENT_ID}`).
 */
export const botContext = {
  BOT_ID: p.id().optional().invalid('BOT_ID_ERROR'),
  CLIENT_ID: p.string().optional(),
};

/** APP_ID_ERROR as the chat pages that spell it in lower case word it (imbot.chat.leave, …). */
export const APP_ID_ERROR_LOWER = 'Bot was installed by another rest application';

/**
 * The bot a call acts as: the application first (ACCESS_DENIED "Client ID not specified" on a webhook without
 * CLIENT_ID), then BOT_ID_ERROR / APP_ID_ERROR, as CIMRestService::getBotId orders them. `raw`: where CLIENT_ID
 * is read. `appIdError`: the APP_ID_ERROR wording of the method's page.
 */
export function actingBot(
  domain: Domain,
  caller: Caller,
  params: { BOT_ID?: number },
  options: { raw: Params; appIdError?: string },
): Promise<Bot> {
  return domain.bots.resolve(requireApplication(caller, options.raw), params.BOT_ID, options.appIdError);
}
