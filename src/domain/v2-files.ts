import type { Clock } from '../clock.ts';
import type { Db } from '../store/db.ts';
import { secret } from '../wire/secrets.ts';
import { readImage } from './images.ts';

export interface FileRow {
  id: number;
  chat_id: number;
  author_id: number;
  message_id: number | null;
  name: string;
  mime: string;
  size: number;
  width: number | null;
  height: number | null;
  created_at: Date;
}

/** How long a download link works, if not used before (file-download.md: "one-time link"). */
export const DOWNLOAD_TTL_MS = 3600 * 1000;

const VIDEO = ['mp4', 'mov', 'webm', 'avi', 'mkv'];
const AUDIO = ['mp3', 'ogg', 'wav', 'm4a', 'oga', 'opus'];

/** entities.md#file `type`: an image it can read the size of, video or audio by extension, else `file`. */
export function fileType(file: Pick<FileRow, 'name' | 'width'>): 'image' | 'video' | 'audio' | 'file' {
  if (file.width) return 'image';
  const ext = extensionOf(file.name);
  if (VIDEO.includes(ext)) return 'video';
  return AUDIO.includes(ext) ? 'audio' : 'file';
}

export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

/** Files sent into chats, kept in the store with their content, and their one-time download links. */
export class V2Files {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  async save(input: { chatId: number; authorId: number; name: string; content: Buffer }): Promise<FileRow> {
    const image = readImage(input.content);
    const row = await this.db.one<FileRow>(
      `INSERT INTO files (chat_id, author_id, name, mime, size, width, height, data, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       RETURNING id, chat_id, author_id, message_id, name, mime, size, width, height, created_at`,
      [
        input.chatId,
        input.authorId,
        input.name,
        image?.mime ?? 'application/octet-stream',
        input.content.length,
        image?.width ?? null,
        image?.height ?? null,
        input.content,
        new Date(this.clock.now()),
      ],
    );
    return row!;
  }

  async attach(fileId: number, messageId: number): Promise<void> {
    await this.db.query('UPDATE files SET message_id = $2 WHERE id = $1', [fileId, messageId]);
  }

  get(id: number): Promise<FileRow | undefined> {
    return this.db.one<FileRow>(
      'SELECT id, chat_id, author_id, message_id, name, mime, size, width, height, created_at FROM files WHERE id = $1',
      [id],
    );
  }

  /** The files sent with these messages (im.dialog.messages.get `files`). */
  ofMessages(messageIds: number[]): Promise<FileRow[]> {
    if (!messageIds.length) return Promise.resolve([]);
    return this.db.query<FileRow>(
      `SELECT id, chat_id, author_id, message_id, name, mime, size, width, height, created_at FROM files
       WHERE message_id = ANY($1) ORDER BY id`,
      [messageIds],
    );
  }

  /** A token for one download of the file within DOWNLOAD_TTL_MS. */
  async issueToken(fileId: number): Promise<string> {
    const token = secret(24);
    await this.db.query('INSERT INTO file_download_tokens (token, file_id, expires_at) VALUES ($1, $2, $3)', [
      token,
      fileId,
      new Date(this.clock.now() + DOWNLOAD_TTL_MS),
    ]);
    return token;
  }

  /** The file and its content for a token, which is used up; undefined when unknown, used or expired. */
  async redeem(token: string): Promise<(FileRow & { data: Buffer }) | undefined> {
    if (!/^[0-9a-f]{48}$/.test(token)) return undefined; // not one `issueToken` made: no query for it
    return this.db.tx(async (tx) => {
      const used = await tx.one<{ file_id: number; expires_at: Date }>(
        'DELETE FROM file_download_tokens WHERE token = $1 RETURNING file_id, expires_at',
        [token],
      );
      if (!used || used.expires_at.getTime() <= this.clock.now()) return undefined;
      return tx.one<FileRow & { data: Buffer }>('SELECT * FROM files WHERE id = $1', [used.file_id]);
    });
  }
}
