import { fail } from '../wire/errors.ts';
import { asList, decodeJsonParam, isLink, isRecord, isText, oversized } from './json-param.ts';

/** One attachment as stored in a message's `params.ATTACH` list. */
export interface Attach {
  ID: number;
  COLOR_TOKEN: string;
  COLOR?: string;
  BLOCKS: Record<string, unknown>[];
}

const COLOR_TOKENS = ['primary', 'secondary', 'alert', 'base'];
const GRID_DISPLAYS = ['BLOCK', 'LINE', 'ROW', 'TABLE'];

/** Block types and the check of one item (b24restdocs …/imbot.v2/messages/attachments/block-collections/*.md). */
const ITEM_CHECKS: Record<string, (item: Record<string, unknown>) => boolean> = {
  LINK: (item) => isLink(item.LINK),
  USER: (item) => isText(item.NAME),
  IMAGE: (item) => isLink(item.LINK),
  FILE: (item) => isLink(item.LINK),
  GRID: (item) => typeof item.DISPLAY === 'string' && GRID_DISPLAYS.includes(item.DISPLAY.toUpperCase()),
};

/**
 * ATTACH of a message: a JSON string, an object with `BLOCKS`, or a bare array of blocks (b24restdocs
 * api-reference/chats/messages/attachments.md). Each block is an object with one key naming its type. A malformed
 * attachment is ATTACH_ERROR; one whose JSON has 60,000 characters or more is ATTACH_OVERSIZE (imbot.message.add).
 */
export function parseAttach(raw: unknown): Attach {
  const value = decodeJsonParam(raw);
  const full = isRecord(value) && 'BLOCKS' in value ? value : undefined;
  const blocks = asList(full ? full.BLOCKS : value);
  if (!blocks?.length) throw fail('ATTACH_ERROR');
  const attach: Attach = { ID: 1, COLOR_TOKEN: 'base', BLOCKS: blocks.map(parseBlock) };
  if (full) {
    if (full.ID !== undefined) {
      const id = Number(full.ID);
      if (!Number.isSafeInteger(id)) throw fail('ATTACH_ERROR');
      attach.ID = id;
    }
    if (typeof full.COLOR_TOKEN === 'string' && COLOR_TOKENS.includes(full.COLOR_TOKEN)) {
      attach.COLOR_TOKEN = full.COLOR_TOKEN;
    }
    if (typeof full.COLOR === 'string' && full.COLOR) attach.COLOR = full.COLOR;
  }
  if (oversized(attach)) throw fail('ATTACH_OVERSIZE');
  return attach;
}

function parseBlock(block: unknown): Record<string, unknown> {
  if (!isRecord(block)) throw fail('ATTACH_ERROR');
  const keys = Object.keys(block);
  if (keys.length !== 1) throw fail('ATTACH_ERROR');
  const [type] = keys;
  const value = block[type];
  if (type === 'MESSAGE') {
    if (!isText(value)) throw fail('ATTACH_ERROR');
    return { MESSAGE: String(value) };
  }
  if (type === 'DELIMITER') {
    // The attachments page's examples send `{"DELIMITER": true}` (form: `…[DELIMITER]=1`), SDKs `Y`: any scalar
    // is a plain delimiter; an object carries SIZE / COLOR.
    if (Array.isArray(value) || (typeof value === 'object' && value !== null && !isRecord(value))) {
      throw fail('ATTACH_ERROR');
    }
    return { DELIMITER: isRecord(value) ? value : {} };
  }
  const check = ITEM_CHECKS[type];
  if (!check) throw fail('ATTACH_ERROR');
  // LINK, USER, IMAGE and FILE take one item or a list of them; GRID always a list.
  const items = isRecord(value) && type !== 'GRID' ? [value] : asList(value);
  if (!items?.length || !items.every((item) => isRecord(item) && check(item))) throw fail('ATTACH_ERROR');
  return { [type]: isRecord(value) && type !== 'GRID' ? value : items };
}
