import { v2File } from '../../domain/v2-entities.ts';
import { p } from '../../wire/params/coerce.ts';
import { defineBotMethod } from './v2-bot-context.ts';
import { dialogChat } from './v2-chat.ts';
import { uploadFile } from './v2-file.ts';

/**
 * b24restdocs chat-bots-v2/imbot.v2/files/file-upload.md: stores the file, sends it into a dialog the bot is in
 * (else ACCESS_DENIED) with the optional text, and answers the File, the message and the dialog.
 */
export default defineBotMethod({
  name: 'imbot.v2.File.upload',
  args: { dialogId: p.string(), fields: p.object() },
  async handler({ bot, args }, services) {
    const chat = await dialogChat(services, bot, args.dialogId);
    const { file, messageId } = await uploadFile(services, bot.user, chat, args.fields, true);
    return {
      file: v2File(file, bot.user),
      messageId,
      chatId: chat.id,
      dialogId: await services.domain.chats.dialogIdOf(chat, bot.id),
    };
  },
});
