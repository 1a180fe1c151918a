import { commandLines, normalizeText } from '../../domain/bb-code.ts';
import { dialogIdFor } from '../../domain/dialog-id.ts';
import { newMessageExtras } from '../../domain/message-extras.ts';
import type { DialogTarget } from '../../domain/messenger.ts';
import { ApiError } from '../../wire/errors.ts';
import { bindParams } from '../../wire/params/bind.ts';
import { p } from '../../wire/params/coerce.ts';
import { messengerLive } from '../im/messenger-live.ts';
import { defineBotMethod } from './v2-bot-context.ts';
import { botCommand } from './v2-command.ts';

const FIELDS = {
  message: p.string().optional(),
  attach: p.any().optional(),
  keyboard: p.any().optional(),
  system: p.bool().default(false),
  urlPreview: p.bool().default(true),
};

const failed = () => new ApiError('COMMAND_ANSWER_FAILED');

/**
 * b24restdocs chat-bots-v2/imbot.v2/commands/command-answer.md: the bot answers a call of its command in the dialog
 * of the message that made it — even a chat it is not in ("access is granted for the messageId + commandId pair";
 * there the answer is a system message, as imbot.command.answer sends it). A message that did not call this
 * command, a dialogId that is not that message's dialog, or an empty answer → COMMAND_ANSWER_FAILED.
 */
export default defineBotMethod({
  name: 'imbot.v2.Command.answer',
  args: {
    commandId: p.int(),
    messageId: p.int(),
    dialogId: p.string(),
    fields: p.object().default({}),
  },
  async handler({ bot, args }, services) {
    const { domain } = services;
    const command = await botCommand(services, bot, args.commandId);
    const fields = bindParams(FIELDS, args.fields, 'controller');
    const original = await domain.messenger.get(args.messageId);
    const chat = original && (await domain.chats.get(original.chat_id));
    if (!original || !chat || !commandLines(original.text).some((l) => l.command === command.command)) throw failed();
    const members = await domain.chats.members(chat.id);
    const member = members.includes(bot.id);
    const expected = dialogIdFor(chat, bot.id, [bot.id, original.author_id]);
    if (args.dialogId !== expected) throw failed();
    const text = normalizeText(fields.message ?? '');
    const extras = newMessageExtras({ ATTACH: fields.attach, KEYBOARD: fields.keyboard }, bot.id);
    if (!text && !extras.ATTACH) throw failed();
    const peer = chat.type === 'P' && member ? await domain.users.get(original.author_id) : undefined;
    const target: DialogTarget = peer ? { kind: 'private', peer } : { kind: 'chat', chat };
    await domain.messenger.send({
      author: bot.user,
      byBot: true,
      target,
      text,
      extras,
      system: fields.system || !member,
      live: messengerLive(services),
    });
    return { result: true };
  },
});
