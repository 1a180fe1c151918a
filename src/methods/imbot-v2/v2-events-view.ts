import { LANGUAGE } from '../../domain/bot-events.ts';
import type { MessageRow } from '../../domain/im-message-view.ts';
import { orderedEventData, v2Chat, v2Message, v2User } from '../../domain/v2-entities.ts';
import type { LoggedV2Event, Polled } from '../../domain/v2-events.ts';
import { atom } from '../../wire/envelope.ts';
import type { Services } from '../define.ts';

/**
 * The `{events, nextOffset, hasMore}` answer of imbot.v2.Event.get and im.v2.Event.get: bot events carry the
 * reading bot's full Bot object first (events.md#bot-format); user events are composed from the message snapshot
 * their row keeps, with the chat and the user as they are now (im.v2/events/events.md).
 */
export async function eventsAnswer(
  services: Services,
  polled: Polled,
  bot?: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const events = [];
  for (const e of polled.events) {
    const data = e.subscriber_id === null ? { bot, ...e.data } : await userEventData(services, e);
    events.push({ eventId: e.id, type: e.event, date: atom(e.created_at.getTime()), data: orderedEventData(data) });
  }
  return { events, nextOffset: polled.nextOffset, hasMore: polled.hasMore };
}

async function userEventData(services: Services, e: LoggedV2Event): Promise<Record<string, unknown>> {
  const { domain } = services;
  const origin = new URL(services.portal().clientEndpoint).origin;
  const d = e.data as Record<string, any>;
  const chat = await domain.chats.get(Number(d.chatId));
  const dialogId = chat ? await domain.chats.dialogIdOf(chat, e.subscriber_id!) : '';
  const userRow = await domain.users.get(Number(d.userId));
  const common = {
    chat: chat ? v2Chat(chat, dialogId, origin) : null,
    user: userRow ? v2User(userRow, undefined, origin) : null,
    language: LANGUAGE,
  };
  if (e.event === 'ONIMV2JOINCHAT') return { dialogId, ...common };
  if (e.event === 'ONIMV2MESSAGEDELETE') return { messageId: d.messageId, ...common };
  const row: MessageRow = {
    id: d.messageId,
    chat_id: d.chatId,
    author_id: d.authorId,
    text: d.text,
    params: d.params ?? {},
    system: d.system,
    deleted: false,
    uuid: d.uuid,
    created_at: new Date(d.date),
    updated_at: null,
  };
  const viewed = (await domain.chats.viewerCount(row.chat_id, row.id)) > 0;
  const message = v2Message(row, viewed);
  if (e.event === 'ONIMV2REACTIONCHANGE') return { reaction: d.reaction, action: d.action, message, ...common };
  return { message, ...common };
}
