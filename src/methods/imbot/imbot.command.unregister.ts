import { requireApplication } from '../../domain/caller.ts';
import { ApiError } from '../../wire/errors.ts';
import { p } from '../../wire/params/coerce.ts';
import { defineMethod } from '../define.ts';
import { appCommand } from './app-command.ts';

/** b24restdocs api-reference/chat-bots/outdated/commands/imbot-command-unregister.md. */
export default defineMethod({
  name: 'imbot.command.unregister',
  scope: 'imbot',
  applicationFirst: true,
  params: {
    COMMAND_ID: p.id().missing('COMMAND_ID_ERROR').invalid('COMMAND_ID_ERROR'),
    CLIENT_ID: p.string().optional(),
  },
  async handler({ params, caller, raw }, { domain }) {
    const app = requireApplication(caller, raw);
    const command = appCommand(await domain.commands.get(params.COMMAND_ID), app);
    if (!(await domain.commands.unregister(command))) throw new ApiError('WRONG_REQUEST', "Command can't be deleted");
    return true;
  },
});
