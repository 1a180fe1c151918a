import { fail } from '../wire/errors.ts';
import { asList, decodeJsonParam, isRecord, oversized } from './json-param.ts';
import { isActionItem } from './keyboard.ts';

/**
 * MENU of a message (extra context-menu items): a JSON string, an object with `ITEMS`, or a bare array of items
 * (b24restdocs api-reference/chats/messages/menu.md). Items are stored with the BOT_ID their commands go to.
 * Malformed → MENU_ERROR (im.message.update spells it `menu_ERROR`); 60,000 characters of JSON or more → MENU_OVERSIZE.
 */
export function parseMenu(
  raw: unknown,
  botId: number,
  invalid: 'MENU_ERROR' | 'menu_ERROR' = 'MENU_ERROR',
): Record<string, unknown>[] {
  const value = decodeJsonParam(raw);
  const full = isRecord(value) && 'ITEMS' in value ? value : undefined;
  const items = asList(full ? full.ITEMS : value);
  if (!items?.length) throw fail(invalid);
  const ownBot = full && Number(full.BOT_ID) > 0 ? Number(full.BOT_ID) : botId;
  const stored = items.map((item) => {
    if (!isRecord(item) || !isActionItem(item)) throw fail(invalid);
    return { ...item, BOT_ID: ownBot };
  });
  if (oversized(stored)) throw fail('MENU_OVERSIZE');
  return stored;
}
