import { isDeepStrictEqual } from 'node:util';
import type { UserEvent } from './events.ts';
import type { MessageRow } from './im-message-view.ts';

// The im.v2 user events (b24restdocs chat-bots-v2/im.v2/events/events.md) a change of a message or a membership
// fires. The row data keeps a snapshot of the message (the event shows it as it was); the chat and user are read
// when the event is (methods/imbot-v2/v2-events-view.ts).

function snapshot(m: MessageRow, userId: number) {
  return {
    messageId: m.id,
    chatId: m.chat_id,
    authorId: m.author_id,
    text: m.text,
    params: m.params,
    system: m.system,
    uuid: m.uuid,
    date: m.created_at,
    userId,
  };
}

export function messageAdded(m: MessageRow): UserEvent {
  return {
    event: 'ONIMV2MESSAGEADD',
    chatId: m.chat_id,
    messageId: m.id,
    data: snapshot(m, m.author_id),
    at: m.created_at,
  };
}

/** Deleted, either as a row or to a "deleted" mark. */
export function messageDeleted(m: MessageRow, at: Date): UserEvent {
  const data = { messageId: m.id, chatId: m.chat_id, userId: m.author_id };
  return { event: 'ONIMV2MESSAGEDELETE', chatId: m.chat_id, messageId: m.id, data, at };
}

/** The message's content without its reactions: a change there is an edit (ONIMV2MESSAGEUPDATE). */
function content(params: Record<string, unknown>): Record<string, unknown> {
  const { LIKE: _like, REACTIONS: _reactions, ...rest } = params;
  return rest;
}

/**
 * What an update of a message row fires: a deletion mark, an edit of text or params, or else one
 * ONIMV2REACTIONCHANGE per user whose reaction came or went (`like` is params.LIKE, a list of user ids; the others
 * params.REACTIONS, `{code: [user ids]}`).
 */
export function messageChanged(before: MessageRow, after: MessageRow, at: Date): UserEvent[] {
  if (after.deleted && !before.deleted) return [messageDeleted(after, at)];
  const base = { chatId: after.chat_id, messageId: after.id, at };
  if (after.text !== before.text || !isDeepStrictEqual(content(after.params), content(before.params))) {
    return [{ ...base, event: 'ONIMV2MESSAGEUPDATE', data: snapshot(after, after.author_id) }];
  }
  const reactionsOf = (m: MessageRow) => (m.params.REACTIONS ?? {}) as Record<string, unknown[]>;
  const codes = [...new Set([...Object.keys(reactionsOf(before)), ...Object.keys(reactionsOf(after))])];
  const lists = (m: MessageRow, code: string) =>
    ((code === 'like' ? m.params.LIKE : reactionsOf(m)[code]) ?? []) as unknown[];
  const events: UserEvent[] = [];
  for (const code of ['like', ...codes]) {
    const had = lists(before, code);
    const has = lists(after, code);
    const change = (who: unknown, action: 'add' | 'delete'): UserEvent => ({
      ...base,
      event: 'ONIMV2REACTIONCHANGE',
      data: { ...snapshot(after, who as number), reaction: code, action },
    });
    events.push(...has.filter((who) => !had.includes(who)).map((who) => change(who, 'add')));
    events.push(...had.filter((who) => !has.includes(who)).map((who) => change(who, 'delete')));
  }
  return events;
}

/** Members who joined a group chat (opening a private dialog is no joining). */
export function membersJoined(chat: { id: number; type: string }, userIds: number[], at: Date): UserEvent[] {
  if (chat.type === 'P') return [];
  return userIds.map((userId) => ({ event: 'ONIMV2JOINCHAT', chatId: chat.id, data: { chatId: chat.id, userId }, at }));
}
