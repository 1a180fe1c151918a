import type { Bot } from '../../domain/bots.ts';
import { type CommandRow, commandName } from '../../domain/commands.ts';
import { fullName } from '../../domain/users.ts';
import { ApiError } from '../../wire/errors.ts';
import type { Services } from '../define.ts';

/** entities.md#command as Command.register / update answer it. */
export function v2Command(command: CommandRow): Record<string, unknown> {
  return {
    id: command.id,
    botId: command.bot_id,
    command: `/${command.command}`,
    common: command.common,
    hidden: command.hidden,
    extranetSupport: command.extranet_support,
  };
}

/** Command.list adds the title and params in the portal's language (English, else the first given) and the bot. */
export function v2CommandListed(command: CommandRow, bot: Bot): Record<string, unknown> {
  const lang = command.lang.find((l) => l.LANGUAGE_ID === 'en') ?? command.lang[0];
  const { common, hidden, extranetSupport, ...head } = v2Command(command);
  return {
    ...head,
    title: lang?.TITLE ?? '',
    params: lang?.PARAMS ?? '',
    common,
    hidden,
    extranetSupport,
    category: fullName(bot.user),
    context: '',
  };
}

/** One of the bot's commands, else COMMAND_NOT_FOUND ("command not found or access denied"). */
export async function botCommand(services: Services, bot: Bot, commandId: number): Promise<CommandRow> {
  const command = await services.domain.commands.get(commandId);
  if (!command || command.bot_id !== bot.id) throw new ApiError('COMMAND_NOT_FOUND');
  return command;
}

/** `fields.command`: not a string → COMMAND_NAME_INVALID; a leading `/` is dropped; letters and digits only. */
export function v2CommandName(raw: unknown, empty: 'COMMAND_REQUIRED' | 'COMMAND_NAME_EMPTY'): string {
  if (raw === undefined || raw === null || raw === '') throw new ApiError(empty);
  if (typeof raw !== 'string') throw new ApiError('COMMAND_NAME_INVALID');
  if (!raw.trim().replace(/^\//, '')) throw new ApiError(empty);
  const name = commandName(raw);
  if (!name) throw new ApiError('COMMAND_NAME_INVALID');
  return name;
}
