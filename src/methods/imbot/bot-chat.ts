import type { ChatRow, MemberRow } from '../../domain/chats.ts';
import type { Domain } from '../../domain/index.ts';
import { ApiError, type ErrorCode, fail } from '../../wire/errors.ts';
import type { Params } from '../../wire/params/nest.ts';

/** An error as a chat method's page words it: code and description (the status comes from the catalog). */
export type ChatFailure = readonly [ErrorCode, string];

/** The generic ACCESS_ERROR of the chat pages: "Operation not available for this chat". */
export const ACTION_UNAVAILABLE: ChatFailure = ['ACCESS_ERROR', 'Action unavailable'];

export interface ChatFailures {
  /** The chat does not exist (default: `notMember`). */
  notFound?: ChatFailure;
  /** The bot is not a member: a bot manages only chats it is in. */
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
  if (!chat) throw failWith(failures.notFound ?? failures.notMember);
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
