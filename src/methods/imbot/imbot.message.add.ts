import { normalizeText } from '../../domain/bb-code.ts';
import { parseDialogId } from '../../domain/dialog-id.ts';
import { newMessageExtras } from '../../domain/message-extras.ts';
import type { DialogTarget } from '../../domain/messenger.ts';
import { fullName } from '../../domain/users.ts';
import { ApiError, fail } from '../../wire/errors.ts';
import { intval, looseEquals, phpString } from '../../wire/params/php.ts';
import { defineMethod } from '../define.ts';
import { messengerLive } from '../im/messenger-live.ts';
import { actingBot, botContext } from './bot-context.ts';

const notAdded = () => new ApiError('WRONG_REQUEST', "Message isn't added");

/**
 * b24restdocs api-reference/chat-bots/outdated/messages/imbot-message-add.md. Checked as
 * CIMRestService::botMessageAdd checks: application, bot, DIALOG_ID, MESSAGE, ATTACH, KEYBOARD, MENU; SYSTEM is on
 * only for "Y". A dialog the bot cannot write to is WRONG_REQUEST "Message isn't added" (docs/decisions.md).
 * URL_PREVIEW and SKIP_CONNECTOR are accepted and have nothing to act on here.
 */
export default defineMethod({
  name: 'imbot.message.add',
  scope: 'imbot',
  applicationFirst: true,
  params: botContext,
  async handler({ caller, raw }, services) {
    const { domain } = services;
    const bot = await actingBot(domain, caller, raw);
    // FROM_USER_ID + TO_USER_ID (both > 0): a system message in the dialog of those two; DIALOG_ID is ignored.
    const from = intval(raw.FROM_USER_ID);
    const to = intval(raw.TO_USER_ID);
    const pair = from > 0 && to > 0;
    const ref = pair ? undefined : parseDialogId(raw.DIALOG_ID);
    const text = normalizeText(phpString(raw.MESSAGE));
    if (!text) throw fail('MESSAGE_EMPTY');
    const extras = newMessageExtras(raw, bot.id);
    let author = bot.user;
    let target: DialogTarget;
    if (ref) {
      const outcome = await domain.dialogs.resolve(bot.id, ref);
      if (outcome.status !== 'found') throw notAdded();
      target = outcome.dialog;
    } else {
      const [sender, recipient] = [await domain.users.get(from), await domain.users.get(to)];
      if (!sender?.active || !recipient?.active || sender.id === recipient.id) throw notAdded();
      author = sender;
      target = { kind: 'private', peer: recipient };
    }
    const system = pair || looseEquals(raw.SYSTEM, 'Y');
    const message = await domain.messenger.send({
      author,
      byBot: true,
      target,
      // A bot's system message in a group chat is signed with the bot's name (im module Bot::addMessage).
      text: system && target.kind === 'chat' ? `${fullName(bot.user)}:\n${text}` : text,
      extras,
      system,
      live: messengerLive(services),
    });
    return message.id;
  },
});
