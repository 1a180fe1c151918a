import type { Feature } from '../app.ts';
import { AVATAR_PATH } from '../domain/avatars.ts';

/**
 * Serves the avatar store at the paths it hands out (`/upload/avatar/{key}`): chat avatars, user photos and bot
 * photos, the links of imbot.dialog.get `avatar`, user.get PERSONAL_PHOTO and the messenger's `users[].avatar`. Keys
 * are content hashes, so a link never changes content: caches keep it a year (`immutable`) and the key is the ETag.
 * Anything else under the path is the server's 404.
 */
export const avatarsRoute: Feature = (app) => {
  app.fastify.get(`${AVATAR_PATH}:key`, async (request, reply) => {
    const { key } = request.params as { key: string };
    const avatar = await app.domain.avatars.get(AVATAR_PATH + key);
    if (!avatar) return reply.callNotFound();
    const etag = `"${avatar.key}"`;
    reply
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('etag', etag)
      .header('x-content-type-options', 'nosniff');
    if (request.headers['if-none-match'] === etag) return reply.code(304).send();
    return reply.type(avatar.mime).send(avatar.data);
  });
};
