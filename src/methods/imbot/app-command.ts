import type { CommandRow } from '../../domain/commands.ts';
import { ApiError, fail } from '../../wire/errors.ts';

/**
 * The command a v1 command method acts on: none → COMMAND_ID_ERROR; another application's → APP_ID_ERROR, worded as
 * CIMRestService words it in commandUnRegister, commandUpdate and commandAnswer alike (the pages differ in case).
 */
export function appCommand(command: CommandRow | undefined, app: string): CommandRow {
  if (!command) throw fail('COMMAND_ID_ERROR');
  if (command.app_key !== app) throw new ApiError('APP_ID_ERROR', 'Command was installed by another rest application');
  return command;
}
