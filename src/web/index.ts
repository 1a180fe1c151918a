import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Feature } from '../app.ts';
import type { TokenGrant } from '../domain/identities.ts';
import { parseBody } from '../http/body.ts';
import { ApiError } from '../wire/errors.ts';
import { webBundle } from './bundle.ts';
import { FAVICON_SVG, SHELL_CSP, shellPage } from './page.ts';
import { WebSessions } from './session.ts';

/** The built-in OAuth application whose tokens the browser messenger and admin pages use. */
export const WEB_CLIENT_ID = 'b24-local.web';

/** A person's client: messages and chats, real time, and people (user.get) and bots (imbot.bot.list) for "new chat". */
const WEB_SCOPES = ['im', 'imbot', 'pull', 'user'];

const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * The web messenger at `/` and the admin pages at `/admin`: one page and one bundle built from `web/src`, plus
 * the sign-in endpoints under `/web/session`. The pages then talk to `/rest/…` and Push & Pull like any client.
 */
export const webMessenger: Feature = async (app) => {
  const { config } = app.services;
  const { identities, users } = app.domain;
  const bundle = await webBundle();
  const webApp = await identities.createApp({
    clientId: WEB_CLIENT_ID,
    scopes: WEB_SCOPES,
    title: 'b24-local web messenger',
  });
  const sessions = new WebSessions(identities, users, app.domain.signIn, webApp, config.dev);
  const pageConfig = { clientId: WEB_CLIENT_ID, dev: config.dev, typingTtlSec: config.typingTtlSec };

  const page = (title: string) => (_req: FastifyRequest, reply: FastifyReply) =>
    reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-cache')
      .header('content-security-policy', SHELL_CSP)
      .header('x-frame-options', 'DENY') // frame-ancestors for browsers that predate it
      .header('x-content-type-options', 'nosniff')
      .send(shellPage(title, pageConfig, bundle.version));
  app.fastify.get('/', page('b24-local'));
  app.fastify.get('/admin', page('b24-local admin'));

  const asset = (type: string, body: string) => (_req: FastifyRequest, reply: FastifyReply) =>
    reply.type(type).header('cache-control', 'public, max-age=31536000, immutable').send(body);
  app.fastify.get('/assets/app.js', asset('text/javascript; charset=utf-8', bundle.js));
  app.fastify.get('/assets/app.css', asset('text/css; charset=utf-8', bundle.css));
  // Not immutable: its address has no version; the admin pages also fetch it to see whether the server is back.
  app.fastify.get('/favicon.svg', (_req, reply) =>
    reply.type('image/svg+xml').header('cache-control', 'no-cache').send(FAVICON_SVG),
  );

  const grant = (produce: (body: Record<string, unknown>, req: FastifyRequest) => Promise<TokenGrant>) => {
    return async (req: FastifyRequest, reply: FastifyReply) => {
      try {
        const raw = typeof req.body === 'string' ? parseBody(req.headers['content-type'], req.body) : req.body;
        const body = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
        const answer = await produce(body, req);
        return reply.header('cache-control', 'no-store').type(JSON_TYPE).send(JSON.stringify(answer));
      } catch (error) {
        const failure = app.pipeline.failure(error);
        const retryAfter = error instanceof ApiError ? error.extra?.retry_after : undefined;
        if (retryAfter !== undefined) reply.header('retry-after', String(retryAfter));
        return reply.code(failure.status).type(JSON_TYPE).send(failure.body);
      }
    };
  };
  app.fastify.post(
    '/web/session',
    grant((body, req) =>
      body.user_id !== undefined ? sessions.asUser(body.user_id) : sessions.withPassword(body, req.ip),
    ),
  );
  app.fastify.post(
    '/web/session/refresh',
    grant((body) => sessions.refresh(body.refresh_token)),
  );
  if (config.dev) {
    app.fastify.get('/web/session/users', async (_req, reply) =>
      reply
        .header('cache-control', 'no-store')
        .type(JSON_TYPE)
        .send(JSON.stringify(await sessions.pickable())),
    );
  }
};
