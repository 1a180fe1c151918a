import { normalizeText } from '../../domain/bb-code.ts';
import { changedMessageExtras } from '../../domain/message-extras.ts';
import { p } from '../../wire/params/coerce.ts';
import { messengerLive } from '../im/messenger-live.ts';
import { bindArgs } from './v2-args.ts';
import { accessDenied, defineBotMethod } from './v2-bot-context.ts';
import { v2Text } from './v2-message.ts';

const FIELDS = {
  message: [p.string().optional(), 'string'],
  attach: [p.any().optional(), 'array'],
  keyboard: [p.any().optional(), 'array'],
  urlPreview: [p.string().optional(), 'string'],
} as const;

/**
 * b24restdocs chat-bots-v2/imbot.v2/messages/chat-message-update.md: the bot's own message (within the messenger's
 * three-day edit window), else ACCESS_DENIED. `keyboard: "N"` removes the keyboard; a blank text keeps the old one.
 */
export default defineBotMethod({
  name: 'imbot.v2.Chat.Message.update',
  args: { messageId: [p.int(), 'int'], fields: [p.object(), 'array'] },
  async handler({ bot, args }, services) {
    const { domain } = services;
    const fields = bindArgs(FIELDS, args.fields);
    const message = await domain.messenger.editable(bot.id, args.messageId);
    if (!message) throw accessDenied();
    const raw: Record<string, unknown> = {};
    if ('attach' in args.fields) raw.ATTACH = args.fields.attach;
    if ('keyboard' in args.fields) raw.KEYBOARD = args.fields.keyboard;
    const extras = changedMessageExtras(raw, bot.id, 'MENU_ERROR');
    const text = normalizeText(fields.message ?? '');
    await domain.messenger.edit({
      message,
      text: text ? v2Text(text) : undefined,
      extras,
      markEdited: true,
      live: messengerLive(services),
    });
    return { result: true };
  },
});
