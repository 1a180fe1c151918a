import type { Feature } from '../app.ts';
import { errorBody } from '../wire/envelope.ts';
import { ApiError } from '../wire/errors.ts';

/** Where File.download links point (file-download.md: `…/rest/download.json?token=imbot%7C…`). */
export const DOWNLOAD_PATH = '/rest/download.json';

/**
 * Serves the one-time links of imbot.v2.File.download and im.v2.File.download: the token, after the `imbot|` or
 * `im|` prefix the pages show, names the file; a used, expired or unknown token is a 404.
 */
export const fileDownloads: Feature = (app) => {
  app.fastify.get(DOWNLOAD_PATH, async (request, reply) => {
    const raw = (request.query as Record<string, unknown>).token;
    const token = typeof raw === 'string' ? raw.slice(raw.indexOf('|') + 1) : '';
    const file = token ? await app.domain.v2Files.redeem(token) : undefined;
    if (!file) {
      const error = new ApiError('FILE_NOT_FOUND', undefined, 404);
      return reply.code(error.status).type('application/json').send(errorBody(error));
    }
    return reply
      .type(file.mime)
      .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`)
      .send(file.data);
  });
};
