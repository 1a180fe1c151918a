import { asList, decodeJsonParam, isRecord } from '../../domain/json-param.ts';
import { fail } from '../../wire/errors.ts';
import { intval, phpEmpty } from '../../wire/params/php.ts';

export { intval };

/** A list of user ids (an array, a PHP-style list, a JSON array or one id); entries that are no id are dropped. */
export function idList(raw: unknown): number[] {
  const value = decodeJsonParam(raw);
  const items = asList(value) ?? (value === undefined || value === '' ? [] : [value]);
  return items.map(intval).filter((id) => id > 0);
}

/**
 * USERS of im.chat.add and imbot.chat.add as CIMRestService::chatCreate reads it, before anything else: a JSON
 * string is decoded, a value that is no list is no users, falsy entries are dropped, and an entry that is neither
 * an integer nor a string is INVALID_FORMAT "Parameter USERS has wrong type". The ids are then intval'd; those that
 * name nobody are left out by the chat's creation.
 */
export function chatCreateUsers(raw: unknown): number[] {
  const value = decodeJsonParam(raw);
  const items = Array.isArray(value) ? value : isRecord(value) ? Object.values(value) : [];
  const given = items.filter((item) => !phpEmpty(item));
  if (given.some((item) => typeof item !== 'string' && !(typeof item === 'number' && Number.isInteger(item)))) {
    throw fail('INVALID_FORMAT');
  }
  return given.map(intval).filter((id) => id > 0);
}

/**
 * The message of im.message.update / delete / command as CIMRestService reads it: MESSAGE_ID, when given, stands
 * for ID; intval, not above 0 → MESSAGE_ID_ERROR "Message ID can't be empty".
 */
export function messageIdParam(raw: Record<string, unknown>): number {
  const id = intval(raw.MESSAGE_ID ?? raw.ID);
  if (id <= 0) throw fail('MESSAGE_ID_ERROR');
  return id;
}
