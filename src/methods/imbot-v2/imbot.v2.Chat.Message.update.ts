import { normalizeText } from '../../domain/bb-code.ts';
import { changedMessageExtras } from '../../domain/message-extras.ts';
import { bindParams } from '../../wire/params/bind.ts';
import { p } from '../../wire/params/coerce.ts';
import { messengerLive } from '../im/messenger-live.ts';
import { accessDenied, defineBotMethod } from './v2-bot-context.ts';

const FIELDS = {
  message: p.string().optional(),
  attach: p.any().optional(),
  keyboard: p.any().optional(),
  urlPreview: p.string().optional(),
};

/**
 * b24restdocs chat-bots-v2/imbot.v2/messages/chat-message-update.md: the bot's own message (within the messenger's
 * three-day edit window), else ACCESS_DENIED. `keyboard: "N"` removes the keyboard; a blank text keeps the old one.
 */
export default defineBotMethod({
  name: 'imbot.v2.Chat.Message.update',
  args: { messageId: p.int(), fields: p.object() },
  async handler({ bot, args }, services) {
    const { domain } = services;
    const fields = bindParams(FIELDS, args.fields, 'controller');
    const message = await domain.messenger.editable(bot.id, args.messageId);
    if (!message) throw accessDenied();
    const raw: Record<string, unknown> = {};
    if ('attach' in args.fields) raw.ATTACH = args.fields.attach;
    if ('keyboard' in args.fields) raw.KEYBOARD = args.fields.keyboard;
    const extras = changedMessageExtras(raw, bot.id, 'MENU_ERROR');
    const text = normalizeText(fields.message ?? '');
    const edited = await domain.messenger.edit({
      message,
      text: text || undefined,
      extras,
      markEdited: true,
      live: messengerLive(services),
    });
    if (!edited) throw accessDenied(); // deleted by another call meanwhile
    return { result: true };
  },
});
