import { normalizeText } from '../../domain/bb-code.ts';
import { type MessageExtras, newMessageExtras } from '../../domain/message-extras.ts';
import { atom } from '../../wire/envelope.ts';
import { ApiError } from '../../wire/errors.ts';
import { bindParams } from '../../wire/params/bind.ts';
import { p } from '../../wire/params/coerce.ts';
import { messengerLive } from '../im/messenger-live.ts';
import { defineBotMethod, v2Dialog } from './v2-bot-context.ts';

const FIELDS = {
  message: p.string().optional(),
  attach: p.any().optional(),
  keyboard: p.any().optional(),
  system: p.bool().default(false),
  urlPreview: p.bool().default(true),
  replyId: p.int().optional(),
  templateId: p.string().optional(),
  forwardIds: p.object().optional(),
};

const MAX_FORWARDS = 100;

/**
 * b24restdocs chat-bots-v2/imbot.v2/messages/chat-message-send.md: a message from the bot, as imbot.message.add
 * sends one (attach and keyboard checked the same way). No text, attach or forward → EMPTY_MESSAGE; a dialog the
 * bot cannot write to → ACCESS_DENIED. `forwardIds` `{uuid: messageId}` copies up to 100 messages the bot can see
 * into the dialog and answers `uuidMap` `{uuid: newId}`; `replyId` is kept when it names a message of the same chat.
 * `urlPreview` has nothing to act on here.
 */
export default defineBotMethod({
  name: 'imbot.v2.Chat.Message.send',
  args: { dialogId: p.string(), fields: p.object().default({}) },
  async handler({ bot, args }, services) {
    const { domain } = services;
    const fields = bindParams(FIELDS, args.fields, 'controller');
    const text = normalizeText(fields.message ?? '');
    const extras = newMessageExtras({ ATTACH: fields.attach, KEYBOARD: fields.keyboard }, bot.id);
    const forwards = Object.entries(fields.forwardIds ?? {}).slice(0, MAX_FORWARDS);
    if (!text && !extras.ATTACH && !forwards.length) throw new ApiError('EMPTY_MESSAGE');
    const target = await v2Dialog(domain, bot, args.dialogId);
    const live = messengerLive(services);
    const uuidMap: Record<string, number> = {};
    for (const [uuid, id] of forwards) {
      const original = await domain.messenger.visible(bot.id, Number(id));
      if (!original || original.deleted) continue;
      const sent = await domain.messenger.send({
        author: bot.user,
        byBot: true,
        target,
        text: original.text,
        extras: { ATTACH: original.params.ATTACH as MessageExtras['ATTACH'] },
        system: false,
        // entities.md#message `forward`: {id, userId, chatId, date} of the original.
        params: {
          FORWARD: {
            id: original.id,
            userId: original.author_id,
            chatId: original.chat_id,
            date: atom(original.created_at.getTime()),
          },
        },
        live,
      });
      uuidMap[uuid] = sent.id;
    }
    if (!text && !extras.ATTACH) return { id: null, uuidMap };
    const chatId = target.kind === 'chat' ? target.chat.id : undefined;
    const reply = fields.replyId === undefined ? undefined : await domain.messenger.visible(bot.id, fields.replyId);
    const sameChat = reply && (chatId === undefined ? true : reply.chat_id === chatId);
    const message = await domain.messenger.send({
      author: bot.user,
      byBot: true,
      target,
      text,
      extras,
      system: fields.system,
      uuid: fields.templateId,
      params: sameChat ? { REPLY_ID: reply!.id } : undefined,
      live,
    });
    return { id: message.id, uuidMap };
  },
});
