import { p } from '../../wire/params/coerce.ts';
import { defineBotMethod, v2Dialog } from './v2-bot-context.ts';

/**
 * b24restdocs chat-bots-v2/imbot.v2/ui/chat-text-field-enabled.md: turns the input field of a dialog the bot is in
 * on or off (default on), group and private alike (change-log BOT-FIX-0408-5: membership, not edit rights). A
 * private dialog not opened yet is created. The docs name no real-time command for it; clients read
 * `text_field_enabled` / `textFieldEnabled` with the dialog.
 */
export default defineBotMethod({
  name: 'imbot.v2.Chat.TextField.enabled',
  args: { dialogId: p.string(), enabled: p.bool().default(true) },
  async handler({ bot, args }, { domain }) {
    const dialog = await v2Dialog(domain, bot, args.dialogId);
    // A `chat{N}` dialog always comes with its chat; a private one only once it was opened.
    const chat =
      dialog.kind === 'chat' ? dialog.chat : (dialog.chat ?? (await domain.chats.privateChat(bot.id, dialog.peer.id)));
    await domain.chats.update(chat.id, { text_field_enabled: args.enabled });
    return { result: true };
  },
});
