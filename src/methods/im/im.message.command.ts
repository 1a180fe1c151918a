import { commandName } from '../../domain/commands.ts';
import { fail } from '../../wire/errors.ts';
import { p } from '../../wire/params/coerce.ts';
import { defineMethod } from '../define.ts';
import { messengerLive } from './messenger-live.ts';
import { intval, messageIdParam } from './php-int.ts';

const EMPTY_COMMAND = "Command can't be empty";

/**
 * b24restdocs api-reference/chats/messages/im-message-command.md: the person presses a keyboard button (or menu item)
 * naming the bot's COMMAND under the message MESSAGE_ID; the bot gets ONIMCOMMANDADD with COMMAND_CONTEXT `KEYBOARD`
 * and that message's id, as for a typed command but with no message written. Checked as CIMRestService::messageCommand
 * checks: MESSAGE_ID (or ID, intval) → MESSAGE_ID_ERROR, BOT_ID (intval) → BOT_ID_ERROR, COMMAND missing or "" →
 * COMMAND_ERROR; a message the caller cannot see (or a deleted one), or a command the bot does not have or cannot
 * run in that dialog (a blank one too), is the page's PARAMS_ERROR "Incorrect params".
 */
export default defineMethod({
  name: 'im.message.command',
  scope: 'im',
  params: {
    COMMAND: p.string().optional().invalid('COMMAND_ERROR', EMPTY_COMMAND),
    COMMAND_PARAMS: p.string().default(''),
  },
  async handler({ params, caller, raw }, services) {
    const { domain } = services;
    const messageId = messageIdParam(raw);
    const botId = intval(raw.BOT_ID);
    if (botId <= 0) throw fail('BOT_ID_ERROR', "Bot ID can't be empty");
    if (!params.COMMAND) throw fail('COMMAND_ERROR', EMPTY_COMMAND);
    const command = commandName(params.COMMAND);
    const message = await domain.messenger.visible(caller.userId, messageId);
    if (!command || !message || message.deleted) throw fail('PARAMS_ERROR', 'Incorrect params');
    const pressed = await domain.messenger.pressCommand({
      user: await domain.users.require(caller.userId),
      message,
      botId,
      command,
      params: params.COMMAND_PARAMS,
      live: messengerLive(services),
    });
    if (!pressed) throw fail('PARAMS_ERROR', 'Incorrect params');
    return true;
  },
});
