import { commandLines, normalizeText } from '../../domain/bb-code.ts';
import { requireApplication } from '../../domain/caller.ts';
import type { CommandRow, Commands } from '../../domain/commands.ts';
import { newMessageExtras } from '../../domain/message-extras.ts';
import type { DialogTarget } from '../../domain/messenger.ts';
import { ApiError, fail } from '../../wire/errors.ts';
import { p } from '../../wire/params/coerce.ts';
import type { Params } from '../../wire/params/nest.ts';
import { arrayKey, intval, looseEquals, phpString } from '../../wire/params/php.ts';
import { defineMethod } from '../define.ts';
import { messengerLive } from '../im/messenger-live.ts';
import { appCommand } from './app-command.ts';

const notAdded = () => new ApiError('WRONG_REQUEST', "Message isn't added");

/**
 * b24restdocs api-reference/chat-bots/outdated/commands/imbot-command-answer.md: the command's bot replies in the
 * dialog of MESSAGE_ID, which must be a message that invoked the command (the im module answers only where the
 * command ran). Where the bot is not a member (a COMMON command), the reply is a system message, as the im module
 * posts it. No BOT_ID: the bot is the command's. Checked as CIMRestService::commandAnswer checks: application,
 * the command (COMMAND_ID, else COMMAND; naming neither is no error yet), MESSAGE_ID, MESSAGE, ATTACH, KEYBOARD,
 * MENU, then the reply itself ("Message isn't added", also without a command). SYSTEM is on only for "Y".
 */
export default defineMethod({
  name: 'imbot.command.answer',
  scope: 'imbot',
  applicationFirst: true,
  params: { CLIENT_ID: p.string().optional() },
  async handler({ caller, raw }, services) {
    const { domain } = services;
    const app = requireApplication(caller, raw);
    const command = await answeredCommand(domain.commands, app, raw);
    const messageId = intval(raw.MESSAGE_ID);
    if (messageId <= 0) throw fail('MESSAGE_ID_EMPTY');
    const text = normalizeText(phpString(raw.MESSAGE));
    if (!text) throw fail('MESSAGE_EMPTY');
    const extras = newMessageExtras(raw, command?.bot_id ?? 0);
    if (!command) throw notAdded();
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
      system: looseEquals(raw.SYSTEM, 'Y') || !member,
      live: messengerLive(services),
    });
    return message.id;
  },
});

/**
 * COMMAND_ID (looked up as an array key), else the application's command named COMMAND: one that names no command
 * of the application → COMMAND_ID_ERROR / APP_ID_ERROR. Neither given → null.
 */
async function answeredCommand(commands: Commands, app: string, raw: Params): Promise<CommandRow | null> {
  if (raw.COMMAND_ID !== undefined && raw.COMMAND_ID !== null) {
    const id = arrayKey(raw.COMMAND_ID);
    return appCommand(id > 0 ? await commands.get(id) : undefined, app);
  }
  if (raw.COMMAND === undefined || raw.COMMAND === null) return null;
  const name = phpString(raw.COMMAND);
  return appCommand(name ? await commands.byName(app, name) : undefined, app);
}
