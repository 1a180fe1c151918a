import { readFileSync } from 'node:fs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type AdminAccess, isAdminRequest } from '../admin/authorize.ts';
import type { App, Feature } from '../app.ts';
import { VirtualClock } from '../clock.ts';
import { EVENTS_CHANNEL } from '../delivery/outbox-event-sink.ts';
import { parseBody } from '../http/body.ts';
import { ApiError } from '../wire/errors.ts';
import { Faults } from './faults.ts';
import { bad, type Input, intField, numberField, oneOf, required, stringField } from './input.ts';
import { Inspector } from './inspector.ts';
import { Person } from './person.ts';
import { StoreSnapshot } from './snapshot.ts';

const JSON_TYPE = 'application/json; charset=utf-8';
const VERSION: string = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version;
/** Items the inspector keeps; older ones drop out. */
const INSPECTOR_CAPACITY = 2000;
/** `wait` gives up after this long unless told otherwise; at most MAX_WAIT_MS. */
const DEFAULT_WAIT_MS = 10_000;
const MAX_WAIT_MS = 120_000;

export interface ControlOptions extends AdminAccess {
  /** client_id of the web messenger's application: `say` and `wait` act with its tokens, as the page does. */
  peopleUse: string;
}

/** What the in-process API (src/testing.ts) drives directly, without HTTP. */
export interface Control {
  clock: VirtualClock;
  faults: Faults;
  inspector: Inspector;
  person: Person;
  reset(): Promise<void>;
}

/**
 * The control API under `/_b24local/` (docs/decisions.md "Control API"): health, the virtual clock, reset to the
 * start state, a person who says things and waits for answers, fault injection and the inspector. JSON in and out;
 * `Authorization: Bearer <adminToken>` on everything but health (401 otherwise); errors in the Bitrix24 envelope,
 * bad params 400 naming the param. Off with `B24_CONTROL=off`: then none of these paths exist.
 */
export function controlApi(options: ControlOptions, expose?: (control: Control) => void): Feature {
  return (app) => {
    const { clock } = app.services;
    if (!(clock instanceof VirtualClock)) throw new Error('the control API needs the app to own a VirtualClock');
    const started = performance.now();
    const faults = new Faults();
    const inspector = new Inspector(INSPECTOR_CAPACITY, () => clock.now());
    const person = new Person(app, options.peopleUse);
    app.onForget(() => person.forget());

    const stopObserving = app.pipeline.observe({
      intercept: (call) => faults.intercept(call),
      answered: (call) => inspector.rest(call),
    });
    app.deliveryTap = {
      before: (attempt) => faults.delivery(attempt),
      after: (attempt, outcome) => inspector.delivery(attempt, outcome),
    };
    const unsubscribe = app.services.hub.subscribe((command, recipients) => inspector.pull(command, recipients));

    // The start state: fixed once start-up (bootstrap, fixtures) is done, when the server begins to listen; the
    // copy goes on in PostgreSQL while the server serves. A failure is reset's to report, not a reason not to start.
    const snapshot = new StoreSnapshot(app.db);
    let taken = false;
    app.fastify.addHook('onReady', async () => {
      taken = true;
      await snapshot
        .take()
        .catch((error) => app.fastify.log.error({ err: error }, 'the start state for reset was not taken'));
    });
    const reset = async () => {
      if (!taken) throw new ApiError('NOT_FOUND', 'The server has not finished starting', 404);
      await snapshot.restore();
      app.forget();
      faults.clear();
      inspector.clear();
      clock.reset();
    };
    expose?.({ clock, faults, inspector, person, reset });

    const route = routeOn(app, options);
    app.fastify.get('/_b24local/health', async (_req, reply) =>
      reply
        .type(JSON_TYPE)
        .send(
          JSON.stringify({ status: 'ok', version: VERSION, uptime: Math.round((performance.now() - started) / 1000) }),
        ),
    );

    route('GET', 'clock', async () => clock.state());
    route('POST', 'clock', async (input) => {
      const action = required(oneOf(input, 'action', ['freeze', 'advance', 'resume'] as const), 'action');
      if (action === 'freeze') clock.freeze();
      if (action === 'resume') clock.resume();
      if (action === 'advance') {
        clock.advance(required(numberField(input, 'seconds', 0, 10 * 365 * 86400), 'seconds') * 1000);
      }
      return clock.state();
    });

    route('POST', 'reset', async () => {
      const began = performance.now();
      await reset();
      return { status: 'reset', durationMs: Math.round(performance.now() - began) };
    });

    route('POST', 'say', async (input) => {
      const from = required(intField(input, 'from', 1, 2 ** 31 - 1), 'from');
      const dialogId = required(stringField(input, 'dialogId'), 'dialogId');
      const message = input.message;
      if (typeof message !== 'string' || message.trim() === '') throw bad('message', 'must be non-empty text');
      return { messageId: await person.say(from, dialogId, message) };
    });

    route('GET', 'wait', async (input) => {
      const user = required(intField(input, 'user', 1, 2 ** 31 - 1), 'user');
      const dialogId = required(stringField(input, 'dialogId'), 'dialogId');
      const what = oneOf(input, 'for', ['message', 'typing'] as const) ?? 'message';
      const after = intField(input, 'after', 0, Number.MAX_SAFE_INTEGER);
      const timeout = intField(input, 'timeout', 0, MAX_WAIT_MS) ?? DEFAULT_WAIT_MS;
      const found =
        what === 'message'
          ? { message: await person.waitMessage(user, dialogId, after, timeout) }
          : { typing: await person.waitTyping(user, dialogId, timeout) };
      if (Object.values(found)[0] === undefined) {
        throw new ApiError('WAIT_TIMEOUT', `No ${what} in ${dialogId} for user ${user} within ${timeout} ms`);
      }
      return found;
    });

    route('GET', 'faults', async () => ({ items: faults.list() }));
    route('POST', 'faults', async (input) => ({ id: faults.add(input).id }));
    route('DELETE', 'faults', async () => {
      faults.clear();
      return { deleted: true };
    });
    route('DELETE', 'faults/:id', async (input) => {
      const id = String(input.id);
      if (!faults.remove(id)) throw new ApiError('NOT_FOUND', `No fault ${id}`, 404);
      return { deleted: true };
    });

    route('GET', 'requests', async (input) => ({ items: inspector.query(input) }));
    route('DELETE', 'requests', async () => {
      inspector.clear();
      return { deleted: true };
    });
    app.fastify.get('/_b24local/requests/export', (req, reply) =>
      guarded(app, options, req, reply, async () => {
        reply.header('content-disposition', 'attachment; filename="b24-local-requests.json"');
        return {
          exportedAt: new Date(clock.now()).toISOString(),
          items: inspector.query({ limit: INSPECTOR_CAPACITY }),
        };
      }),
    );

    route('POST', 'deliveries/:id/replay', async (input) => {
      const id = required(intField(input, 'id', 1, Number.MAX_SAFE_INTEGER), 'id');
      // A new delivery of the same event to the same handler: the POST carries the same X-B24-Event-Id.
      const row = await app.db.one<{ id: number; event_id: number }>(
        `INSERT INTO event_deliveries (event_id, url, handler_id, auth_user_id, order_key, next_attempt_at, created_at)
         SELECT event_id, url, handler_id, auth_user_id, order_key || '#replay', $2, $2
         FROM event_deliveries WHERE id = $1 RETURNING id, event_id`,
        [id, new Date(clock.now())],
      );
      if (!row) throw new ApiError('NOT_FOUND', `No delivery ${id}`, 404);
      await app.db.query('SELECT pg_notify($1, $2)', [EVENTS_CHANNEL, '']);
      return { deliveryId: Number(row.id), eventId: Number(row.event_id) };
    });

    return async () => {
      unsubscribe();
      stopObserving();
      app.deliveryTap = undefined;
      await snapshot.close();
    };
  };
}

type Run = (input: Input) => Promise<unknown>;

function routeOn(app: App, access: AdminAccess) {
  return (method: 'GET' | 'POST' | 'DELETE', path: string, run: Run) => {
    app.fastify.route({
      method,
      url: `/_b24local/${path}`,
      handler: (req, reply) => guarded(app, access, req, reply, () => run(inputOf(req))),
    });
  };
}

/** Admin token checked, JSON answered, any failure in the Bitrix24 envelope with its status. */
async function guarded(
  app: App,
  access: AdminAccess,
  req: FastifyRequest,
  reply: FastifyReply,
  run: () => Promise<unknown>,
): Promise<FastifyReply> {
  try {
    if (!(await isAdminRequest(req.headers.authorization, access, app.domain.identities))) {
      reply.header('www-authenticate', 'Bearer');
      throw new ApiError('NO_AUTH_FOUND', 'The control API needs Authorization: Bearer <adminToken from server.json>');
    }
    const result = await run();
    return reply.code(200).type(JSON_TYPE).header('cache-control', 'no-store').send(JSON.stringify(result));
  } catch (error) {
    const failure = app.pipeline.failure(error);
    return reply.code(failure.status).type(JSON_TYPE).send(failure.body);
  }
}

/** Query string, JSON (or form) body and path params in one object; a body that is no object is refused. */
function inputOf(req: FastifyRequest): Input {
  const parsed = typeof req.body === 'string' ? parseBody(req.headers['content-type'], req.body) : req.body;
  if (parsed !== undefined && parsed !== null && (typeof parsed !== 'object' || Array.isArray(parsed))) {
    throw new ApiError('INVALID_REQUEST', 'The request body must be a JSON object');
  }
  return { ...(req.query as Input), ...(parsed as Input | undefined), ...(req.params as Input) };
}
