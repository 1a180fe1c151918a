import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Feature } from '../app.ts';
import { parseBody } from '../http/body.ts';
import { ApiError } from '../wire/errors.ts';
import { type AdminAccess, isAdminRequest } from './authorize.ts';
import { AdminOperations, type Input } from './operations.ts';

const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * The admin API: JSON under `/admin/api/`, for the CLI and the web admin pages. Every request carries
 * `Authorization: Bearer <adminToken>` (the per-process token in `<dataDir>/server.json`). Success is
 * `{"result": …}`; failure the Bitrix24 envelope `{"error", "error_description"}` with its status.
 *
 *   GET    /admin/api/status          {url, pid}: which server answers (the CLI checks the pid)
 *   GET    /admin/api/users           users, bots included
 *   POST   /admin/api/users           {name, last_name?, email?, login?, password?, admin?}
 *   GET    /admin/api/webhooks        inbound webhooks with their full URL
 *   POST   /admin/api/webhooks        {user_id, token?, scopes?, title?}
 *   DELETE /admin/api/webhooks/:id
 *   GET    /admin/api/apps            local OAuth applications with their secrets and application_token
 *   POST   /admin/api/apps            {client_id?, client_secret?, scopes?, redirect_uri?, title?}
 *   POST   /admin/api/tokens          {client_id, user_id}: the /oauth/token/ answer for that pair
 *   GET    /admin/api/bots            registered bots and their owning application
 *
 * `scopes` is a list or a comma-separated string; none means every scope.
 */
export function adminApi(options: AdminAccess): Feature {
  return (app) => {
    const ops = new AdminOperations(app.domain, () => app.baseUrl());
    const route = (method: 'GET' | 'POST' | 'DELETE', url: string, run: (input: Input) => Promise<unknown>) => {
      app.fastify.route({
        method,
        url: `/admin/api/${url}`,
        handler: async (req: FastifyRequest, reply: FastifyReply) => {
          try {
            if (!(await isAdminRequest(req.headers.authorization, options, app.domain.identities))) {
              reply.header('www-authenticate', 'Bearer');
              throw new ApiError(
                'NO_AUTH_FOUND',
                'The admin API needs Authorization: Bearer <adminToken from server.json>',
              );
            }
            const input = { ...body(req), ...(req.params as Input) };
            const result = await run(input);
            return reply.code(200).type(JSON_TYPE).send(JSON.stringify({ result }));
          } catch (error) {
            const failure = app.pipeline.failure(error);
            return reply.code(failure.status).type(JSON_TYPE).send(failure.body);
          }
        },
      });
    };
    route('GET', 'status', async () => ({ url: app.baseUrl(), pid: process.pid }));
    route('GET', 'users', () => ops.listUsers());
    route('POST', 'users', (input) => ops.createUser(input));
    route('GET', 'webhooks', () => ops.listWebhooks());
    route('POST', 'webhooks', (input) => ops.createWebhook(input));
    route('DELETE', 'webhooks/:id', (input) => ops.deleteWebhook(input));
    route('GET', 'apps', () => ops.listApps());
    route('POST', 'apps', (input) => ops.createApp(input));
    route('POST', 'tokens', (input) => ops.issueToken(input));
    route('GET', 'bots', () => ops.listBots());
  };
}

/** A JSON (or form) object body; nothing else is an admin request. */
function body(req: FastifyRequest): Input {
  const parsed = typeof req.body === 'string' ? parseBody(req.headers['content-type'], req.body) : req.body;
  if (parsed === undefined || parsed === null) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ApiError('INVALID_REQUEST', 'The request body must be a JSON object');
  }
  return parsed as Input;
}
