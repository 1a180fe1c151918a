import type { ChatRow } from '../../domain/chats.ts';
import type { UserRow } from '../../domain/user-row.ts';
import type { FileRow } from '../../domain/v2-files.ts';
import { ApiError } from '../../wire/errors.ts';
import { bindParams } from '../../wire/params/bind.ts';
import { p } from '../../wire/params/coerce.ts';
import type { Services } from '../define.ts';
import { messengerLive } from '../im/messenger-live.ts';
import { fileContent } from '../imbot/file-param.ts';

const FIELDS = {
  name: p.string().optional(),
  content: p.string().optional(),
  message: p.string().optional(),
};

/**
 * File.upload of imbot.v2 and im.v2 (b24restdocs chat-bots-v2/…/files/file-upload.md): checks `fields` (no name
 * or content → FILE_EMPTY, not Base64 → FILE_INVALID_CONTENT, over B24_FILE_LIMIT → FILE_TOO_LARGE), stores the
 * file and sends it into the chat as a message of `author` (params FILE_ID, the text `fields.message`).
 */
export async function uploadFile(
  services: Services,
  author: UserRow,
  chat: ChatRow,
  rawFields: Record<string, unknown>,
  byBot: boolean,
): Promise<{ file: FileRow; messageId: number }> {
  const { domain, config } = services;
  const fields = bindParams(FIELDS, rawFields, 'controller');
  const name = fields.name?.trim();
  if (!name || !fields.content) throw new ApiError('FILE_EMPTY');
  const content = fileContent(fields.content);
  if (!content) throw new ApiError('FILE_INVALID_CONTENT');
  if (content.length > config.fileLimit) {
    throw new ApiError('FILE_TOO_LARGE', `File is too large (max ${config.fileLimit} bytes)`);
  }
  const file = await domain.v2Files.save({ chatId: chat.id, authorId: author.id, name, content });
  const members = await domain.chats.members(chat.id);
  const peerId = chat.type === 'P' ? members.find((id) => id !== author.id) : undefined;
  const peer = peerId === undefined ? undefined : await domain.users.get(peerId);
  const message = await domain.messenger.send({
    author,
    byBot,
    target: peer ? { kind: 'private', peer } : { kind: 'chat', chat },
    text: fields.message ?? '',
    extras: {},
    system: false,
    params: { FILE_ID: [file.id] },
    files: [file],
    live: messengerLive(services),
  });
  await domain.v2Files.attach(file.id, message.id);
  return { file, messageId: message.id };
}

/** A one-time link to the file (file-download.md); `scope` is the prefix the pages show, `imbot` or `im`. */
export async function downloadUrl(services: Services, file: FileRow, scope: 'imbot' | 'im'): Promise<string> {
  const token = await services.domain.v2Files.issueToken(file.id);
  const origin = new URL(services.portal().clientEndpoint).origin;
  return `${origin}/rest/download.json?token=${encodeURIComponent(`${scope}|${token}`)}`;
}
