import type { FastifyInstance } from 'fastify';

/** One dependency's state for `/readyz`: `ok`, or why not. */
export type Check = () => Promise<string | undefined>;

/**
 * `GET /healthz`: the process answers (liveness; restart it when this fails). `GET /readyz`: it can serve (store and
 * Redis reachable, migrations applied, not shutting down); a load balancer or Kubernetes sends traffic only while
 * this is 200. Both answer `{"status": "ok"|"fail", "checks": {name: "ok"|reason}}`, as health-check conventions
 * (and probes, which read only the status code) expect.
 */
export function registerHealth(fastify: FastifyInstance, checks: Record<string, Check>): void {
  fastify.get('/healthz', async (_req, reply) => reply.header('cache-control', 'no-store').send({ status: 'ok' }));
  fastify.get('/readyz', async (_req, reply) => {
    const names = Object.keys(checks);
    const results = await Promise.all(
      names.map((name) =>
        checks[name]().then(
          (failure) => failure ?? 'ok',
          (error: unknown) => (error instanceof Error ? error.message : String(error)),
        ),
      ),
    );
    const ok = results.every((r) => r === 'ok');
    return reply
      .code(ok ? 200 : 503)
      .header('cache-control', 'no-store')
      .send({ status: ok ? 'ok' : 'fail', checks: Object.fromEntries(names.map((n, i) => [n, results[i]])) });
  });
}
