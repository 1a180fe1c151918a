import { fail } from '../wire/errors.ts';
import { asList, decodeJsonParam, isLink, isRecord, isText, oversized } from './json-param.ts';

const ACTIONS = ['PUT', 'SEND', 'COPY', 'CALL', 'DIALOG'];

/**
 * A button or menu item needs TEXT and one action: LINK, COMMAND, ACTION with ACTION_VALUE, or APP_ID
 * (b24restdocs api-reference/chats/messages/keyboards.md, menu.md).
 */
export function isActionItem(item: Record<string, unknown>): boolean {
  if (!isText(item.TEXT)) return false;
  if (item.LINK !== undefined && item.LINK !== '') return isLink(item.LINK);
  if (isText(item.COMMAND)) return true;
  if (typeof item.ACTION === 'string' && item.ACTION !== '') {
    return ACTIONS.includes(item.ACTION.toUpperCase()) && item.ACTION_VALUE !== undefined;
  }
  return isText(item.APP_ID);
}

/**
 * KEYBOARD of a message: a JSON string, an object with `BUTTONS`, or a bare array of buttons; a button with
 * `TYPE: NEWLINE` only breaks the row. Buttons are stored with the BOT_ID their commands go to (the keyboard's own
 * BOT_ID, else the sending bot's, as the im module does). Malformed → KEYBOARD_ERROR; 60,000 characters of JSON or more → KEYBOARD_OVERSIZE.
 */
export function parseKeyboard(raw: unknown, botId: number): Record<string, unknown>[] {
  const value = decodeJsonParam(raw);
  const full = isRecord(value) && 'BUTTONS' in value ? value : undefined;
  const buttons = asList(full ? full.BUTTONS : value);
  if (!buttons?.length) throw fail('KEYBOARD_ERROR');
  const ownBot = full && Number(full.BOT_ID) > 0 ? Number(full.BOT_ID) : botId;
  const stored = buttons.map((button) => {
    if (!isRecord(button)) throw fail('KEYBOARD_ERROR');
    if (typeof button.TYPE === 'string' && button.TYPE.toUpperCase() === 'NEWLINE') return { TYPE: 'NEWLINE' };
    if (!isActionItem(button)) throw fail('KEYBOARD_ERROR');
    return { ...button, TYPE: 'BUTTON', BOT_ID: ownBot };
  });
  if (oversized(stored)) throw fail('KEYBOARD_OVERSIZE');
  return stored;
}
