import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App, Feature } from '../app.ts';
import { grantedScopes } from '../domain/identities.ts';
import { canSignIn } from '../domain/password-sign-in.ts';
import type { UserRow } from '../domain/user-row.ts';
import { ApiError } from '../wire/errors.ts';
import type { Params } from '../wire/params/nest.ts';
import { AUTHORIZE_CSP, codePage, errorPage, loginForm, userPicker } from './authorize-page.ts';
import { client, tokenGrant } from './grant.ts';
import { requestParams } from './request-params.ts';

const JSON_TYPE = 'application/json; charset=utf-8';
const HTML_TYPE = 'text/html; charset=utf-8';

/**
 * The portal's and the authorization server's OAuth endpoints in one: `/oauth/authorize/` (step 1, the user signs
 * in and the browser returns to the app with a code) and `/oauth/token/` (step 2 and renewal). Both answer with and
 * without the trailing slash, GET or POST (b24restdocs settings/oauth/index.md, auto-renewal.md).
 */
export const oauthServer: Feature = (app) => {
  app.fastify.route({ method: ['GET', 'POST'], url: '/oauth/token/', handler: token(app) });
  app.fastify.route({ method: ['GET', 'POST'], url: '/oauth/authorize/', handler: authorize(app) });
};

function token(app: App) {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    try {
      const grant = await tokenGrant(app.domain.identities, requestParams(req));
      return reply.code(200).header('cache-control', 'no-store').type(JSON_TYPE).send(JSON.stringify(grant));
    } catch (error) {
      const failure = app.pipeline.failure(error);
      return reply.code(failure.status).type(JSON_TYPE).send(failure.body);
    }
  };
}

function authorize(app: App) {
  const { identities, users } = app.domain;
  return async (req: FastifyRequest, reply: FastifyReply) => {
    const page = (status: number, html: string) =>
      reply
        .code(status)
        .type(HTML_TYPE)
        .header('content-security-policy', AUTHORIZE_CSP)
        .header('x-frame-options', 'DENY')
        .send(html);
    let params: Params;
    try {
      params = requestParams(req);
    } catch (error) {
      const failure = error as ApiError;
      return page(400, errorPage(failure.code, failure.description));
    }
    const clientId = text(params.client_id);
    const state = text(params.state);
    if (!clientId) return page(400, errorPage('invalid_request', 'Parameter client_id is required'));
    const found = await client(identities, clientId).catch((error: ApiError) => error);
    if (found instanceof ApiError) return page(400, errorPage(found.code, found.description));
    const title = found.title || found.client_id;
    const keep: Record<string, string> = { client_id: clientId, ...(state === undefined ? {} : { state }) };

    let user: UserRow | undefined;
    if (app.services.config.dev) {
      // Development mode: no password; scripts go straight through with `&user_id=N`.
      if (params.user_id === undefined) {
        return page(200, userPicker(title, (await users.list()).filter(canSignIn), keep));
      }
      const id = Number(text(params.user_id));
      user = Number.isInteger(id) && id > 0 ? await users.get(id) : undefined;
      if (!user || !canSignIn(user)) {
        return page(400, errorPage('invalid_request', `User ${text(params.user_id)} cannot sign in`));
      }
    } else {
      if (req.method !== 'POST') return page(200, loginForm(title, keep));
      try {
        // No new-password field here: the default password is replaced in the web messenger's sign-in.
        user = await app.domain.signIn.verify({
          login: text(params.login),
          password: text(params.password),
          address: req.ip,
          requireChange: true,
        });
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        const message =
          error.code === 'PASSWORD_CHANGE_REQUIRED'
            ? 'The default password must be changed first: sign in to the web messenger at /'
            : error.description;
        return page(error.status, loginForm(title, keep, message));
      }
    }

    const target = URL.canParse(found.redirect_uri) ? new URL(found.redirect_uri) : undefined;
    if (found.redirect_uri && !target) {
      return page(400, errorPage('invalid_client', `The application's redirect_uri is not a URL`));
    }
    const code = await identities.issueCode(found, user.id);
    if (!target) return page(200, codePage(code));
    const portal = app.services.portal();
    const answer: Record<string, string> = {
      code,
      ...(state === undefined ? {} : { state }),
      domain: portal.domain,
      member_id: portal.memberId,
      scope: grantedScopes(found).join(','),
      // We are the authorization server as well (docs/decisions.md).
      server_domain: portal.domain,
    };
    for (const [key, value] of Object.entries(answer)) target.searchParams.set(key, value);
    return reply.redirect(target.href, 302);
  };
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
}
