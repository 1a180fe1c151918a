import type { ChatRow, MemberRow } from '../../domain/chats.ts';
import type { Domain } from '../../domain/index.ts';
import { ApiError, type ErrorCode, fail } from '../../wire/errors.ts';
import type { Params } from '../../wire/params/nest.ts';
import { intval, looseEquals, phpEmpty } from '../../wire/params/php.ts';

/** An error as a chat method's page words it: code and description (the status comes from the catalog). */
export type ChatFailure = readonly [ErrorCode, string];

export interface ChatFailures {
  /**
   * The chat does not exist or the bot is not a member (a bot manages only chats it is in): one answer, as the
   * module's CIMChat refuses both alike and CIMRestService words each refusal once per method.
   */
  notMember: ChatFailure;
  /** A private dialog, where the action is impossible; omit when it is allowed there. */
  privateChat?: ChatFailure;
}

export function failWith([code, description]: ChatFailure): ApiError {
  return new ApiError(code, description);
}

/** The chat a bot acts on, with the bot's membership; each failure worded as the method's page words it. */
export async function botChat(
  domain: Domain,
  botId: number,
  chatId: number,
  failures: ChatFailures,
): Promise<{ chat: ChatRow; member: MemberRow }> {
  const chat = await domain.chats.get(chatId);
  if (!chat) throw failWith(failures.notMember);
  const member = await domain.chats.member(chat.id, botId);
  if (!member) throw failWith(failures.notMember);
  if (chat.type === 'P' && failures.privateChat) throw failWith(failures.privateChat);
  return { chat, member };
}

/**
 * The chat methods take DIALOG_ID in place of CHAT_ID (CIMRestService, newest copy: chatSetOwner … chatUserList
 * first turn a `chatN` DIALOG_ID into CHAT_ID N; any other DIALOG_ID given is DIALOG_ID_EMPTY). Used as `prepare`.
 */
export function dialogAsChat(raw: Params): Params {
  const dialogId = raw.DIALOG_ID;
  if (dialogId === undefined || dialogId === null) return raw;
  const match = /^chat(\d{1,10})$/i.exec(typeof dialogId === 'string' ? dialogId.trim() : '');
  if (!match) throw fail('DIALOG_ID_EMPTY');
  return { ...raw, CHAT_ID: match[1] };
}

/** CHAT_ID as the chat methods read it (after DIALOG_ID): PHP's intval, anything not above 0 → CHAT_ID_EMPTY. */
export function chatIdParam(raw: Params): number {
  const chatId = intval(raw.CHAT_ID);
  if (chatId <= 0) throw fail('CHAT_ID_EMPTY');
  return chatId;
}

/** USER_ID of setOwner, setManager and user.delete: intval, not above 0 → USER_ID_EMPTY. */
export function userIdParam(raw: Params): number {
  const userId = intval(raw.USER_ID);
  if (userId <= 0) throw fail('USER_ID_EMPTY');
  return userId;
}

/**
 * The chat action a private dialog does not allow, refused before the bot is looked up: CIMRestService checks
 * Chat::isActionAllowed (EXTEND, LEAVE) ahead of getBotId in chatUserAdd and chatUserDelete.
 */
export async function refusedInPrivate(domain: Domain, chatId: number, failure: ChatFailure): Promise<void> {
  if ((await domain.chats.get(chatId))?.type === 'P') throw failWith(failure);
}

/**
 * HIDE_HISTORY as chatUserAdd reads it: "N" (PHP's loose ==) shows the history, any other value is cast to a
 * boolean (so "0" and "" show it too); absent → hidden, the default of the page.
 */
export function hideHistoryParam(raw: Params): boolean {
  const value = raw.HIDE_HISTORY;
  if (value === undefined || value === null) return true;
  return !looseEquals(value, 'N') && !phpEmpty(value);
}
