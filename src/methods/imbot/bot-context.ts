import type { Bot } from '../../domain/bots.ts';
import { appKeyOf, type Caller } from '../../domain/caller.ts';
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
 * The application an imbot call acts for (b24restdocs imbot.chat.setOwner; docs/decisions.md): OAuth → the token's
 * application; webhook → `custom{CLIENT_ID}`, plain `custom` when CLIENT_ID is absent or empty. Read from `raw` so
 * methods that do not declare CLIENT_ID see it too.
 */
export function applicationOf(caller: Caller, raw: Params): string {
  const clientId = raw.CLIENT_ID;
  return appKeyOf(caller, typeof clientId === 'string' || typeof clientId === 'number' ? String(clientId) : undefined);
}

/**
 * imbot.register / unregister / update and the command methods. Their pages' ACCESS_DENIED "Access denied! Client
 * ID not specified" needs a call with no application, which webhooks and OAuth never are here (docs/decisions.md).
 */
export const requireApplication = applicationOf;

/**
 * The bot a call acts as (BOT_ID_ERROR / APP_ID_ERROR). `raw`: where CLIENT_ID is read when the method does not
 * declare it. `appIdError`: the APP_ID_ERROR wording of the method's page.
 */
export function actingBot(
  domain: Domain,
  caller: Caller,
  params: { BOT_ID?: number; CLIENT_ID?: string },
  options: { raw?: Params; appIdError?: string } = {},
): Promise<Bot> {
  const app = options.raw ? applicationOf(caller, options.raw) : appKeyOf(caller, params.CLIENT_ID);
  return domain.bots.resolve(app, params.BOT_ID, options.appIdError);
}
