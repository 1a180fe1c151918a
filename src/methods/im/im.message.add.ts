import { normalizeText } from '../../domain/bb-code.ts';
import type { DialogRef } from '../../domain/dialog-id.ts';
import { newMessageExtras } from '../../domain/message-extras.ts';
import { ApiError, fail } from '../../wire/errors.ts';
import { p } from '../../wire/params/coerce.ts';
import type { Params } from '../../wire/params/nest.ts';
import { looseEquals, phpString } from '../../wire/params/php.ts';
import { defineMethod } from '../define.ts';
import { messengerLive } from './messenger-live.ts';
import { intval } from './php-int.ts';

/** Bitrix\Im\Message\Uuid::validate: only a version-4 UUID is one. */
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/**
 * Where the message goes, as CIMRestService::messageAdd reads it: DIALOG_ID `chat{N}` is CHAT_ID N, any other
 * DIALOG_ID (an empty one too) is USER_ID; a USER_ID wins over a CHAT_ID. USER_ID's intval not above 0 →
 * USER_ID_EMPTY, CHAT_ID's → CHAT_ID_EMPTY; none of the three → PARAMS_ERROR "Incorrect params".
 */
function messageTarget(raw: Params): DialogRef {
  const given = (value: unknown) => value !== undefined && value !== null;
  let userId = raw.USER_ID;
  let chatId = raw.CHAT_ID;
  if (given(raw.DIALOG_ID)) {
    const chat = /^chat(\d+)$/i.exec(phpString(raw.DIALOG_ID));
    if (chat) chatId = chat[1];
    else userId = raw.DIALOG_ID;
  }
  if (given(userId)) {
    const id = intval(userId);
    if (id <= 0) throw fail('USER_ID_EMPTY');
    return { kind: 'user', userId: id };
  }
  if (given(chatId)) {
    const id = intval(chatId);
    if (id <= 0) throw fail('CHAT_ID_EMPTY');
    return { kind: 'chat', chatId: id };
  }
  throw new ApiError('PARAMS_ERROR', 'Incorrect params');
}

/**
 * b24restdocs api-reference/chats/messages/im-message-add.md, checked in the im module's order: MESSAGE (or
 * ATTACH), the target (messageTarget), ATTACH, KEYBOARD, MENU, REPLY_ID. No such chat is the page's
 * `CHAT_ID` "Error creating message"; a chat one is not in, or oneself, ACCESS_ERROR (docs/decisions.md). TEMPLATE_ID
 * becomes the message's uuid; a UUIDv4 TEMPLATE_ID sent again by its author within an hour answers the first
 * message's id and stores nothing (a client resending after a lost answer; Bitrix\Im\Message\Uuid). URL_PREVIEW
 * is accepted and has nothing to act on here. SYSTEM is on for "Y" (PHP's loose ==) only.
 */
export default defineMethod({
  name: 'im.message.add',
  scope: 'im',
  params: {
    MESSAGE: p.string().optional().invalid('MESSAGE_EMPTY', 'Wrong message type'),
    TEMPLATE_ID: p.string().optional(),
  },
  async handler({ params, caller, raw }, services) {
    const { domain } = services;
    const text = normalizeText(params.MESSAGE ?? '');
    const noAttach = raw.ATTACH === undefined || raw.ATTACH === '' || raw.ATTACH === null;
    if (!text && noAttach) throw fail('MESSAGE_EMPTY');
    const ref = messageTarget(raw);
    const author = await domain.users.require(caller.userId);
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
      system: looseEquals(raw.SYSTEM, 'Y'),
      uuid,
      params: reply,
      live: messengerLive(services),
    });
    return message.id;
  },
});
