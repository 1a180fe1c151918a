import { parseDialogId } from '../../domain/dialog-id.ts';
import { fullName } from '../../domain/users.ts';
import { then } from '../../wire/maybe-promise.ts';
import { defineMethod } from '../define.ts';
import { actingBot, botContext } from './bot-context.ts';

/**
 * b24restdocs api-reference/chat-bots/outdated/chats/imbot-chat-send-typing.md: "bot is typing…" in a dialog.
 * As CIMRestService::botSendTyping: the application, the bot (BOT_ID_ERROR / APP_ID_ERROR), DIALOG_ID's form
 * (DIALOG_ID_EMPTY), then `true` whatever became of the writing status. A dialog the bot cannot type in (an unknown
 * chat, one it is not in, an unknown user, itself) shows the typing to nobody; the log says so.
 */
export default defineMethod({
  name: 'imbot.chat.sendTyping',
  scope: 'imbot',
  applicationFirst: true,
  params: botContext,
  // Chained with `then`, not awaited: with the bot and the dialog cached the call completes at once (P1).
  handler({ caller, raw, warn }, { domain }) {
    return then(actingBot(domain, caller, raw), (bot) =>
      then(domain.dialogs.resolve(bot.id, parseDialogId(raw.DIALOG_ID)), (outcome) => {
        if (outcome.status !== 'found') {
          warn(
            { botId: bot.id, dialogId: raw.DIALOG_ID },
            'imbot.chat.sendTyping: the bot cannot type in this dialog (unknown, not a member, or itself); answered true as a portal does, shown to nobody',
          );
          return true;
        }
        const { dialog } = outcome;
        return then(
          domain.typing.start({
            place: dialog.place,
            userId: bot.id,
            userName: fullName(bot.user),
            participants: dialog.participants,
          }),
          () => true,
        );
      }),
    );
  },
});
