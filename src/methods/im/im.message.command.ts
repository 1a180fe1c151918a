import { commandName } from '../../domain/commands.ts';
import { fail } from '../../wire/errors.ts';
import { p } from '../../wire/params/coerce.ts';
import { defineMethod } from '../define.ts';
import { messengerLive } from './messenger-live.ts';

const EMPTY_COMMAND = "Command can't be empty";

/**
 * b24restdocs api-reference/chats/messages/im-message-command.md: the person presses a keyboard button (or menu item)
 * naming the bot's COMMAND under the message MESSAGE_ID; the bot gets ONIMCOMMANDADD with COMMAND_CONTEXT `KEYBOARD`
 * and that message's id, as for a typed command but with no message written. Checked in the page's order; a message
 * the caller cannot see (or a deleted one), or a command the bot does not have or cannot run in that dialog, is the
 * page's PARAMS_ERROR "Incorrect params".
 */
export default defineMethod({
  name: 'im.message.command',
  scope: 'im',
  params: {
    MESSAGE_ID: p.id().missing('MESSAGE_ID_ERROR').invalid('MESSAGE_ID_ERROR'),
    BOT_ID: p.id().missing('BOT_ID_ERROR', "Bot ID can't be empty").invalid('BOT_ID_ERROR', "Bot ID can't be empty"),
    COMMAND: p.string().missing('COMMAND_ERROR', EMPTY_COMMAND).invalid('COMMAND_ERROR', EMPTY_COMMAND),
    COMMAND_PARAMS: p.string().default(''),
  },
  async handler({ params, caller }, services) {
    const { domain } = services;
    if (!params.COMMAND.trim()) throw fail('COMMAND_ERROR', EMPTY_COMMAND);
    const command = commandName(params.COMMAND);
    const message = await domain.messenger.visible(caller.userId, params.MESSAGE_ID);
    if (!command || !message || message.deleted) throw fail('PARAMS_ERROR', 'Incorrect params');
    const pressed = await domain.messenger.pressCommand({
      user: await domain.users.require(caller.userId),
      message,
      botId: params.BOT_ID,
      command,
      params: params.COMMAND_PARAMS,
      live: messengerLive(services),
    });
    if (!pressed) throw fail('PARAMS_ERROR', 'Incorrect params');
    return true;
  },
});
