import { ApiError } from '../../wire/errors.ts';
import { bindParams } from '../../wire/params/bind.ts';
import { p } from '../../wire/params/coerce.ts';
import { defineMethod } from '../define.ts';
import { downloadUrl } from '../imbot-v2/v2-file.ts';
import { userDialog } from './im-v2-dialog.ts';

/**
 * b24restdocs chat-bots-v2/im.v2/files/file-download.md: a one-time link to a file of one of the user's dialogs;
 * a file of another dialog, or none → FILE_NOT_FOUND.
 */
export default defineMethod({
  name: 'im.v2.File.download',
  scope: 'im',
  params: {},
  async handler({ caller, raw }, services) {
    const args = bindParams({ dialogId: p.string(), fileId: p.int() }, raw, 'controller');
    const user = await services.domain.users.require(caller.userId);
    const chat = await userDialog(services, user, args.dialogId);
    const file = await services.domain.v2Files.get(args.fileId);
    if (!file || file.chat_id !== chat.id) throw new ApiError('FILE_NOT_FOUND');
    return { downloadUrl: await downloadUrl(services, file, 'im') };
  },
});
