import { createHash } from 'node:crypto';
import type { Clock } from '../clock.ts';
import type { Db } from '../store/db.ts';
import { ApiError } from '../wire/errors.ts';
import { type ImageInfo, readImage } from './images.ts';

/** Where a stored avatar is served; the value kept in `chats.avatar` and `users.personal_photo`. */
export const AVATAR_PATH = '/upload/avatar/';
/** What `save` names an avatar: 32 hex digits of its hash and the image's extension. */
const AVATAR_KEY = /^[0-9a-f]{32}\.[a-z]{2,4}$/;

/** The 5000x5000 limit of imbot.register PERSONAL_PHOTO, imbot.chat.add AVATAR and imbot.chat.updateAvatar. */
export const MAX_AVATAR_SIDE = 5000;

export interface StoredAvatar {
  key: string;
  mime: string;
  width: number;
  height: number;
  data: Buffer;
}

/** Avatar images, content-addressed, so a later UI can serve them by path. */
export class Avatars {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  /**
   * What the image is, or AVATAR_ERROR: not a PNG/JPEG/GIF/WebP → "Avatar incorrect type"; wider or taller than
   * 5000 → "Avatar incorrect size (max 5000x5000)" (b24restdocs imbot.chat.updateAvatar).
   */
  check(content: Buffer | undefined): ImageInfo {
    const image = content && readImage(content);
    if (!image) throw new ApiError('AVATAR_ERROR', 'Avatar incorrect type');
    if (image.width > MAX_AVATAR_SIDE || image.height > MAX_AVATAR_SIDE) {
      throw new ApiError('AVATAR_ERROR', `Avatar incorrect size (max ${MAX_AVATAR_SIDE}x${MAX_AVATAR_SIDE})`);
    }
    return image;
  }

  /** Checks and stores an image; returns the path it is served under. */
  async save(content: Buffer | undefined): Promise<string> {
    const image = this.check(content);
    const data = content!;
    const key = `${createHash('sha256').update(data).digest('hex').slice(0, 32)}.${image.ext}`;
    await this.db.query(
      `INSERT INTO avatars (key, mime, width, height, data, created_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (key) DO NOTHING`,
      [key, image.mime, image.width, image.height, data, new Date(this.clock.now())],
    );
    return AVATAR_PATH + key;
  }

  /**
   * Stores the image when it is a readable one of at most 5000x5000, else nothing: a portal drops such an avatar
   * and goes on (CIMRestService::botRegister/botUpdate PERSONAL_PHOTO, imbot.chat.add AVATAR through CIMChat::Add).
   */
  async saveReadable(content: Buffer | undefined): Promise<string | undefined> {
    const image = content && readImage(content);
    if (!image || image.width > MAX_AVATAR_SIDE || image.height > MAX_AVATAR_SIDE) return undefined;
    return this.save(content);
  }

  /** The avatar served under `path` (as `save` returned it); a path no key of `save` can match is none. */
  get(path: string): Promise<StoredAvatar | undefined> {
    const key = path.startsWith(AVATAR_PATH) ? path.slice(AVATAR_PATH.length) : '';
    if (!AVATAR_KEY.test(key)) return Promise.resolve(undefined);
    return this.db.one<StoredAvatar>('SELECT key, mime, width, height, data FROM avatars WHERE key = $1', [key]);
  }
}
