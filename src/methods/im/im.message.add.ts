import { normalizeText } from '../../domain/bb-code.ts';
import type { DialogRef } from '../../domain/dialog-id.ts';
import { newMessageExtras } from '../../domain/message-extras.ts';
import { ApiError, fail } from '../../wire/errors.ts';
import { p } from '../../wire/params/coerce.ts';
import { defineMethod } from '../define.ts';
import { messengerLive } from './messenger-live.ts';
import { intval } from './php-int.ts';

/** Bitrix\Im\Message\Uuid::validate: only a version-4 UUID is one. */
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/**
 * b24restdocs api-reference/chats/messages/im-message-add.md, checked in the im module's order: MESSAGE (or
 * ATTACH), DIALOG_ID (`chat{id}`, else a user id), ATTACH, KEYBOARD, MENU, REPLY_ID. No such chat is the page's
 * `CHAT_ID` "Error creating message"; a chat one is not in, or oneself, ACCESS_ERROR (docs/decisions.md). TEMPLATE_ID
 * becomes the message's uuid; a UUIDv4 TEMPLATE_ID sent again by its author within an hour answers the first
 * message's id and stores nothing (a client resending after a lost answer; Bitrix\Im\Message\Uuid). URL_PREVIEW
 * is accepted and has nothing to act on here.
 */
export default defineMethod({
  name: 'im.message.add',
  scope: 'im',
  params: {
    MESSAGE: p.string().optional().invalid('MESSAGE_EMPTY', 'Wrong message type'),
    SYSTEM: p.bool().default(false),
    TEMPLATE_ID: p.string().optional(),
  },
  async handler({ params, caller, raw }, services) {
    const { domain } = services;
    const text = normalizeText(params.MESSAGE ?? '');
    const noAttach = raw.ATTACH === undefined || raw.ATTACH === '' || raw.ATTACH === null;
    if (!text && noAttach) throw fail('MESSAGE_EMPTY');
    if (raw.DIALOG_ID === undefined || raw.DIALOG_ID === null || raw.DIALOG_ID === '') {
      throw new ApiError('PARAMS_ERROR', 'Incorrect params');
    }
    const author = await domain.users.require(caller.userId);
    const dialog = String(raw.DIALOG_ID);
    const chatMatch = /^chat(.*)$/i.exec(dialog);
    let ref: DialogRef;
    if (chatMatch) {
      const chatId = intval(chatMatch[1]);
      if (chatId <= 0) throw fail('CHAT_ID_EMPTY');
      ref = { kind: 'chat', chatId };
    } else {
      const userId = intval(dialog);
      if (userId <= 0) throw fail('USER_ID_EMPTY');
      ref = { kind: 'user', userId };
    }
    const outcome = await domain.dialogs.resolve(author.id, ref);
    if (outcome.status === 'no-chat') throw fail('CHAT_ID');
    if (outcome.status === 'no-user') throw fail('USER_NOT_FOUND');
    if (outcome.status !== 'found') throw fail('ACCESS_ERROR');
    const found = outcome.dialog;
    const extras = newMessageExtras(raw, intval(raw.BOT_ID));
    const reply: Record<string, unknown> = {};
    const replyId = intval(raw.REPLY_ID);
    if (replyId > 0) {
      const replied = await domain.messenger.visible(author.id, replyId);
      if (!replied) throw fail('REPLY_ACCESS_ERROR');
      const chatId =
        found.kind === 'chat' ? found.chat.id : (await domain.chats.findPrivate(author.id, found.peer.id))?.id;
      if (replied.chat_id !== chatId) throw fail('REPLY_FROM_OTHER_CHAT_ERROR');
      reply.REPLY_ID = replyId;
    }
    const uuid = params.TEMPLATE_ID?.slice(0, 255) || undefined;
    const earlier = uuid && UUID_V4.test(uuid) ? await domain.messenger.byUuid(author.id, uuid) : undefined;
    if (earlier) return earlier.id;
    const message = await domain.messenger.send({
      author,
      byBot: false,
      target: found,
      text,
      extras,
      system: params.SYSTEM,
      uuid,
      params: reply,
      live: messengerLive(services),
    });
    return message.id;
  },
});
