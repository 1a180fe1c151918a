import type { Bot } from '../../domain/bots.ts';
import { appKeyOf, type Caller } from '../../domain/caller.ts';
import type { Domain } from '../../domain/index.ts';
import { p } from '../../http/params/coerce.ts';

/**
 * The params every v1 bot method shares: BOT_ID (absent → the app's first bot; a non-numeric or non-positive
 * value is a bot that cannot exist → BOT_ID_ERROR) and CLIENT_ID (webhooks; the app becomes `custom{CLIENT_ID}`).
 */
export const botContext = {
  BOT_ID: p.id().optional().invalid('BOT_ID_ERROR'),
  CLIENT_ID: p.string().optional(),
};

export function actingBot(
  domain: Domain,
  caller: Caller,
  params: { BOT_ID?: number; CLIENT_ID?: string },
): Promise<Bot> {
  return domain.bots.resolve(appKeyOf(caller, params.CLIENT_ID), params.BOT_ID);
}
