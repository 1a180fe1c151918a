import type { FastifyReply, FastifyRequest } from 'fastify';
import { type AdminAccess, isAdminRequest } from '../admin/authorize.ts';
import type { App } from '../app.ts';
import { ApiError } from '../wire/errors.ts';

const JSON_TYPE = 'application/json; charset=utf-8';
const STATUSES = ['pending', 'delivered', 'failed'] as const;

interface DeliveryRow {
  id: number;
  event_id: number;
  event: string;
  app_key: string;
  bot_ids: number[];
  dialog_id: string;
  url: string;
  handler_id: number;
  status: (typeof STATUSES)[number];
  attempts: number;
  last_status: number | null;
  last_error: string | null;
  next_attempt_at: Date;
  delivered_at: Date | null;
  created_at: Date;
}

/**
 * Delivery status beside the admin API (src/admin/api.ts), with its conventions: `Authorization: Bearer
 * <adminToken>` (or an administrator's web token, src/admin/authorize.ts), `{"result": …}` or the Bitrix24 error envelope.
 *
 *   GET  /admin/api/deliveries            ?status=pending|delivered|failed &event_id= &bot_id= &limit= (100, ≤ 1000)
 *                                         → {counts: {pending, delivered, failed}, deliveries: [newest first]}
 *   POST /admin/api/deliveries/:id/retry  a failed delivery goes back to the queue, attempts from zero; a pending
 *                                         one is tried now instead of at its next retry time
 */
export function mountDeliveriesAdmin(app: App, access: AdminAccess, wake: () => void): void {
  const route = (method: 'GET' | 'POST', url: string, run: (req: FastifyRequest) => Promise<unknown>) => {
    app.fastify.route({
      method,
      url,
      handler: async (req: FastifyRequest, reply: FastifyReply) => {
        try {
          if (!(await isAdminRequest(req.headers.authorization, access, app.domain.identities))) {
            reply.header('www-authenticate', 'Bearer');
            throw new ApiError(
              'NO_AUTH_FOUND',
              'The admin API needs Authorization: Bearer <adminToken from server.json>',
            );
          }
          return reply.type(JSON_TYPE).send(JSON.stringify({ result: await run(req) }));
        } catch (error) {
          const failure = app.pipeline.failure(error);
          return reply.code(failure.status).type(JSON_TYPE).send(failure.body);
        }
      },
    });
  };

  route('GET', '/admin/api/deliveries', async (req) => {
    const query = req.query as Record<string, string | undefined>;
    const where: string[] = [];
    const params: unknown[] = [];
    const filter = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (query.status !== undefined) {
      if (!(STATUSES as readonly string[]).includes(query.status)) {
        throw new ApiError('INVALID_REQUEST', `status must be one of ${STATUSES.join(', ')}`);
      }
      filter('d.status = ?', query.status);
    }
    if (query.event_id !== undefined) filter('d.event_id = ?', positive(query.event_id, 'event_id'));
    if (query.bot_id !== undefined) filter('? = ANY(l.bot_ids)', positive(query.bot_id, 'bot_id'));
    const limit = query.limit === undefined ? 100 : Math.min(positive(query.limit, 'limit'), 1000);
    const rows = await app.db.query<DeliveryRow>(
      `SELECT d.id, d.event_id, l.event, l.app_key, l.bot_ids, l.dialog_id, d.url, d.handler_id, d.status, d.attempts,
              d.last_status, d.last_error, d.next_attempt_at, d.delivered_at, d.created_at
       FROM event_deliveries d JOIN event_log l ON l.id = d.event_id
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY d.id DESC LIMIT ${limit}`,
      params,
    );
    const counts = await app.db.query<{ status: string; n: number }>(
      'SELECT status, count(*)::int AS n FROM event_deliveries GROUP BY status',
    );
    return {
      counts: Object.fromEntries(STATUSES.map((s) => [s, counts.find((c) => c.status === s)?.n ?? 0])),
      deliveries: rows.map(({ handler_id, next_attempt_at, ...row }) => ({
        ...row,
        event_handler_id: handler_id,
        next_attempt_at: row.status === 'pending' ? next_attempt_at : null,
      })),
    };
  });

  route('POST', '/admin/api/deliveries/:id/retry', async (req) => {
    const id = positive((req.params as { id: string }).id, 'id');
    // A pending delivery under a lease is being sent right now: leave it be.
    const rows = await app.db.query(
      `UPDATE event_deliveries
       SET attempts = CASE WHEN status = 'failed' THEN 0 ELSE attempts END, status = 'pending', next_attempt_at = $2
       WHERE id = $1 AND (status = 'failed' OR (status = 'pending' AND (lease_until IS NULL OR lease_until <= $2)))
       RETURNING id`,
      [id, new Date(app.services.clock.now())],
    );
    if (!rows.length) throw new ApiError('NOT_FOUND', `No failed or waiting delivery ${id}`, 404);
    wake();
    return true;
  });
}

function positive(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0) throw new ApiError('INVALID_REQUEST', `${name} must be a positive integer`);
  return n;
}
