// P1's reference: Fastify configured like b24-local's REST route (raw string bodies, one `/rest/*` route) that parses
// the JSON and answers the baseline's JSON, with no REST pipeline behind it. Its ratio to the bare node:http
// baseline is the ceiling for any handler running inside the framework.
import Fastify from 'fastify';

const answer = JSON.stringify({
  result: true,
  time: {
    start: 1795686991.552,
    finish: 1795686991.554,
    duration: 0.002,
    processing: 0.001146,
    date_start: '2026-11-26T09:56:31+00:00',
    date_finish: '2026-11-26T09:56:31+00:00',
    operating_reset_at: 1795687591,
    operating: 0.0011,
  },
});
const fastify = Fastify({ logger: { level: 'silent' } });
fastify.removeAllContentTypeParsers();
fastify.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
fastify.route({
  method: ['GET', 'POST'],
  url: '/rest/*',
  handler: async (req, reply) => {
    if (!JSON.parse(req.body)) throw new Error('unreachable');
    return reply.code(200).type('application/json; charset=utf-8').send(answer);
  },
});
await fastify.listen({ port: 0, host: '127.0.0.1' });
console.log(`listening on http://127.0.0.1:${fastify.server.address().port}`);
process.on('SIGTERM', () => fastify.close().then(() => process.exit(0)));
