import { dialogIdFor } from '../../domain/dialog-id.ts';
import { v2File } from '../../domain/v2-entities.ts';
import { bindParams } from '../../wire/params/bind.ts';
import { p } from '../../wire/params/coerce.ts';
import { defineMethod } from '../define.ts';
import { downloadUrl, uploadFile } from '../imbot-v2/v2-file.ts';
import { userDialog } from './im-v2-dialog.ts';

/**
 * b24restdocs chat-bots-v2/im.v2/files/file-upload.md: the calling user sends a file into a dialog of theirs.
 * The File carries the upload state and links of the page's answer; both links are one one-time download link.
 */
export default defineMethod({
  name: 'im.v2.File.upload',
  scope: 'im',
  params: {},
  async handler({ caller, raw }, services) {
    const args = bindParams({ dialogId: p.string(), fields: p.object() }, raw, 'controller');
    const user = await services.domain.users.require(caller.userId);
    const chat = await userDialog(services, user, args.dialogId);
    const { file, messageId } = await uploadFile(services, user, chat, args.fields, false);
    const link = await downloadUrl(services, file, 'im');
    const { authorId, authorName, isTranscribable, isVideoNote, isVoiceNote, ...head } = v2File(file, user);
    const members = await services.domain.chats.members(chat.id);
    return {
      file: {
        ...head,
        status: 'done',
        progress: 100,
        authorId,
        authorName,
        urlPreview: '',
        urlShow: link,
        urlDownload: link,
        viewerAttrs: {
          viewer: '',
          viewerType: 'code',
          src: link,
          objectId: String(file.id),
          viewerGroupBy: String(chat.id),
          imChatId: chat.id,
          title: file.name,
          unifiedLink: link,
          actions: JSON.stringify([{ type: 'download' }]),
        },
        mediaUrl: { preview: { 250: '' } },
        isTranscribable,
        isVideoNote,
        isVoiceNote,
      },
      messageId,
      chatId: chat.id,
      dialogId: dialogIdFor(chat, user.id, members),
    };
  },
});
