import { ApiError } from '../../wire/errors.ts';
import { p } from '../../wire/params/coerce.ts';
import { defineBotMethod } from './v2-bot-context.ts';
import { downloadUrl } from './v2-file.ts';

/**
 * b24restdocs chat-bots-v2/imbot.v2/files/file-download.md: a one-time link to a file of a chat the bot is in;
 * no such file → FILE_NOT_FOUND, a chat the bot is not in → FILE_ACCESS_ERROR.
 */
export default defineBotMethod({
  name: 'imbot.v2.File.download',
  args: { fileId: p.int() },
  async handler({ bot, args }, services) {
    const file = await services.domain.v2Files.get(args.fileId);
    if (!file) throw new ApiError('FILE_NOT_FOUND');
    if (!(await services.domain.chats.isMember(file.chat_id, bot.id))) throw new ApiError('FILE_ACCESS_ERROR');
    return { downloadUrl: await downloadUrl(services, file, 'imbot') };
  },
});
