import { requireApplication } from '../../domain/caller.ts';
import { type CommandLang, commandLang, commandName } from '../../domain/commands.ts';
import { isRecord } from '../../domain/json-param.ts';
import { ApiError } from '../../wire/errors.ts';
import { p } from '../../wire/params/coerce.ts';
import { looseEquals } from '../../wire/params/php.ts';
import { defineMethod } from '../define.ts';
import { checkHandlerUrl } from '../handler-url.ts';
import { appCommand } from './app-command.ts';

const cantUpdate = () => new ApiError('WRONG_REQUEST', "Command can't be updated");
const given = (value: unknown) => value !== undefined && value !== null && value !== '';

/**
 * b24restdocs api-reference/chat-bots/outdated/commands/imbot-command-update.md. FIELDS: COMMAND,
 * EVENT_COMMAND_ADD, HIDDEN, EXTRANET_SUPPORT, LANG; empty values are ignored and nothing to change is WRONG_REQUEST
 * "Update fields can't be empty". COMMON is not updatable (not on the page).
 */
export default defineMethod({
  name: 'imbot.command.update',
  scope: 'imbot',
  applicationFirst: true,
  params: {
    COMMAND_ID: p.id().missing('COMMAND_ID_ERROR').invalid('COMMAND_ID_ERROR'),
    CLIENT_ID: p.string().optional(),
  },
  async handler({ params, caller, raw }, { domain, config }) {
    const app = requireApplication(caller, raw);
    const command = appCommand(await domain.commands.get(params.COMMAND_ID), app);
    const fields = isRecord(raw.FIELDS) ? raw.FIELDS : {};
    const changes: {
      command?: string;
      handler?: string;
      hidden?: boolean;
      extranetSupport?: boolean;
      lang?: CommandLang[];
    } = {};
    if (given(fields.EVENT_COMMAND_ADD)) {
      const policy = config.handlerPolicy;
      changes.handler = checkHandlerUrl(
        fields.EVENT_COMMAND_ADD,
        policy,
        'EVENT_COMMAND_ADD_ERROR',
        'Wrong handler URL',
      );
    }
    if (given(fields.COMMAND)) changes.command = commandName(fields.COMMAND) ?? throwCantUpdate();
    for (const [key, field] of [
      ['HIDDEN', 'hidden'],
      ['EXTRANET_SUPPORT', 'extranetSupport'],
    ] as const) {
      // Any non-empty value sets the flag: on for "Y", off otherwise (CIMRestService::commandUpdate).
      if (given(fields[key])) changes[field] = looseEquals(fields[key], 'Y');
    }
    if (given(fields.LANG)) changes.lang = commandLang(fields.LANG) ?? throwCantUpdate();
    if (!Object.keys(changes).length) throw new ApiError('WRONG_REQUEST', "Update fields can't be empty");
    await domain.commands.update(command, changes);
    return true;
  },
});

function throwCantUpdate(): never {
  throw cantUpdate();
}
