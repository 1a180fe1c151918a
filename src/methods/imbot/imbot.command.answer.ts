import { commandLines, normalizeText } from '../../domain/bb-code.ts';
import { requireApplication } from '../../domain/caller.ts';
import type { CommandRow, Commands } from '../../domain/commands.ts';
import { newMessageExtras } from '../../domain/message-extras.ts';
import type { DialogTarget } from '../../domain/messenger.ts';
import { ApiError, fail } from '../../wire/errors.ts';
import { p } from '../../wire/params/coerce.ts';
import type { Params } from '../../wire/params/nest.ts';
import { defineMethod } from '../define.ts';
import { messengerLive } from '../im/messenger-live.ts';
import { intval } from '../im/php-int.ts';
import { appCommand } from './app-command.ts';

const notAdded = () => new ApiError('WRONG_REQUEST', "Message isn't added");

/**
 * b24restdocs api-reference/chat-bots/outdated/commands/imbot-command-answer.md: the command's bot replies in the
 * dialog of MESSAGE_ID, which must be a message that invoked the command (the im module answers only where the
 * command ran). Where the bot is not a member (a COMMON command), the reply is a system message, as the im module
 * posts it. No BOT_ID: the bot is the command's.
 */
export default defineMethod({
  name: 'imbot.command.answer',
  scope: 'imbot',
  applicationFirst: true,
  params: {
    CLIENT_ID: p.string().optional(),
    MESSAGE: p.string().optional().invalid('MESSAGE_EMPTY'),
    SYSTEM: p.bool().default(false),
  },
  async handler({ params, caller, raw }, services) {
    const { domain } = services;
    const app = requireApplication(caller, raw);
    const command = appCommand(
      await answeredCommand(domain.commands, app, raw),
      app,
      'Command was installed by another rest application',
    );
    const messageId = intval(raw.MESSAGE_ID);
    if (messageId <= 0) throw fail('MESSAGE_ID_EMPTY');
    const text = normalizeText(params.MESSAGE ?? '');
    if (!text) throw fail('MESSAGE_EMPTY');
    const extras = newMessageExtras(raw, command.bot_id);
    const original = await domain.messenger.get(messageId);
    const invoked = original && commandLines(original.text).some((line) => line.command === command.command);
    const bot = await domain.users.get(command.bot_id);
    const chat = original && (await domain.chats.get(original.chat_id));
    if (!invoked || !bot || !chat) throw notAdded();
    const members = await domain.chats.members(chat.id);
    const member = members.includes(bot.id);
    const peer = chat.type === 'P' && member ? await domain.users.get(members.find((id) => id !== bot.id)!) : undefined;
    const target: DialogTarget = peer ? { kind: 'private', peer } : { kind: 'chat', chat };
    const message = await domain.messenger.send({
      author: bot,
      byBot: true,
      target,
      text,
      extras,
      system: params.SYSTEM || !member,
      live: messengerLive(services),
    });
    return message.id;
  },
});

/** COMMAND_ID, else the application's command named COMMAND; undefined when neither finds one (COMMAND_ID_ERROR). */
async function answeredCommand(commands: Commands, app: string, raw: Params): Promise<CommandRow | undefined> {
  if (raw.COMMAND_ID !== undefined) {
    const id = intval(raw.COMMAND_ID);
    return id > 0 ? commands.get(id) : undefined;
  }
  return typeof raw.COMMAND === 'string' && raw.COMMAND ? commands.byName(app, raw.COMMAND) : undefined;
}
