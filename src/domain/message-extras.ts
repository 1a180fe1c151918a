import { type Attach, parseAttach } from './attach.ts';
import { parseMenu } from './context-menu.ts';
import { isRecord } from './json-param.ts';
import { parseKeyboard } from './keyboard.ts';

/** ATTACH, KEYBOARD and MENU of one message as stored in `messages.params`; `null` clears one on update. */
export interface MessageExtras {
  ATTACH?: Attach[] | null;
  KEYBOARD?: Record<string, unknown>[] | null;
  MENU?: Record<string, unknown>[] | null;
}

function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null || value === '' || value === false) return true;
  if (Array.isArray(value)) return value.length === 0;
  return isRecord(value) && Object.keys(value).length === 0;
}

/**
 * Validates the extras of a new message, in the order the im module checks them (ATTACH, KEYBOARD, MENU); empty
 * values mean "none". Throws the param's error code and changes nothing.
 */
export function newMessageExtras(raw: Record<string, unknown>, botId: number): MessageExtras {
  const extras: MessageExtras = {};
  if (!isEmpty(raw.ATTACH)) extras.ATTACH = [parseAttach(raw.ATTACH)];
  if (!isEmpty(raw.KEYBOARD)) extras.KEYBOARD = parseKeyboard(raw.KEYBOARD, botId);
  if (!isEmpty(raw.MENU)) extras.MENU = parseMenu(raw.MENU, botId);
  return extras;
}

/**
 * The extras an update changes: an absent param keeps the current value, an empty one or `N` clears it
 * (b24restdocs imbot.message.update, im.message.update).
 */
export function changedMessageExtras(
  raw: Record<string, unknown>,
  botId: number,
  menuInvalid: 'MENU_ERROR' | 'menu_ERROR',
): MessageExtras {
  const extras: MessageExtras = {};
  const clears = (value: unknown) => isEmpty(value) || value === 'N';
  if (raw.ATTACH !== undefined) extras.ATTACH = clears(raw.ATTACH) ? null : [parseAttach(raw.ATTACH)];
  if (raw.KEYBOARD !== undefined) extras.KEYBOARD = clears(raw.KEYBOARD) ? null : parseKeyboard(raw.KEYBOARD, botId);
  if (raw.MENU !== undefined) extras.MENU = clears(raw.MENU) ? null : parseMenu(raw.MENU, botId, menuInvalid);
  return extras;
}
