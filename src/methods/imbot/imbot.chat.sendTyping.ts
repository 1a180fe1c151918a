import { parseDialogId } from '../../domain/dialog-id.ts';
import { openDialog } from '../../domain/dialogs.ts';
import { fullName } from '../../domain/users.ts';
import { p } from '../../wire/params/coerce.ts';
import { defineMethod } from '../define.ts';
import { actingBot, botContext } from './bot-context.ts';

/**
 * b24restdocs api-reference/chat-bots/outdated/chats/imbot-chat-send-typing.md: "bot is typing…" in a dialog.
 * The bot is checked before the dialog (BOT_ID_ERROR / APP_ID_ERROR win over DIALOG_ID_EMPTY).
 */
export default defineMethod({
  name: 'imbot.chat.sendTyping',
  scope: 'imbot',
  params: { ...botContext, DIALOG_ID: p.string().optional().invalid('DIALOG_ID_EMPTY') },
  async handler({ params, caller, raw }, { domain }) {
    const bot = await actingBot(domain, caller, params, { raw });
    const dialog = await openDialog(domain.chats, domain.users, bot.id, parseDialogId(params.DIALOG_ID));
    domain.typing.start({
      place: dialog.place,
      userId: bot.id,
      userName: fullName(bot.user),
      participants: dialog.participants,
    });
    return true;
  },
});
