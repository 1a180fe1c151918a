import { atom } from '../wire/envelope.ts';

/** A row of `messages`. */
export interface MessageRow {
  id: number;
  chat_id: number;
  author_id: number;
  text: string;
  /** ATTACH, KEYBOARD, MENU, LIKE, IS_EDITED, IS_DELETED, REPLY_ID, CODE, NOTIFY, by their Bitrix24 names. */
  params: Record<string, unknown>;
  system: boolean;
  deleted: boolean;
  created_at: Date;
  updated_at: Date | null;
  uuid: string | null;
}

/** The text a deleted message keeps (the im module's IM_MESSAGE_DELETED). */
export const DELETED_TEXT = 'This message was deleted.';

/** `params` of a message as the messenger answers it: an object, or `[]` when empty (PHP's empty array). */
export function messageParamsView(message: Pick<MessageRow, 'params'>): Record<string, unknown> | [] {
  return Object.keys(message.params).length ? message.params : [];
}

/**
 * A message as im.dialog.messages.get lists it (b24restdocs api-reference/chats/messages/im-dialog-messages-get.md).
 * `unread` is from the viewer's side: a message after the last one they read. `author_id` is `0` for system
 * messages (the page's field table, and its example's "… invited … to the chat" notice); the row keeps the actor.
 */
export function imMessageView(message: MessageRow, lastReadId: number): Record<string, unknown> {
  return {
    id: message.id,
    chat_id: message.chat_id,
    author_id: message.system ? 0 : message.author_id,
    date: atom(message.created_at.getTime()),
    text: message.text,
    unread: message.id > lastReadId,
    uuid: message.uuid,
    replaces: [],
    params: messageParamsView(message),
    disappearing_date: null,
  };
}
