import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { ManualClock } from '../../src/clock.ts';
import { eventDelivery } from '../../src/delivery/event-delivery.ts';
import { QUEUE_LAG_MS } from '../../src/delivery/handler-health.ts';
import { botWithHandler, eventually, FAST, HandlerStub } from '../helpers/handler.ts';
import { startTestServer, type TestServer } from '../helpers/harness.ts';

interface Line {
  level: number;
  msg: string;
  handler?: { url: string; state: string; error?: string };
}

const WARN = 40;
const INFO = 30;

describe('the log tells of failing and unreachable handlers once per change', () => {
  const clock = new ManualClock();
  const lines: Line[] = [];
  // The server's log as JSON lines, read back here.
  const log = pino(
    { level: 'info' },
    new Writable({
      write(chunk, _encoding, done) {
        lines.push(JSON.parse(String(chunk)));
        done();
      },
    }),
  );
  const handlerLines = (url: string) =>
    lines
      .filter((l) => l.handler?.url === url)
      .map((l) => `${l.level === WARN ? 'warn' : l.level === INFO ? 'info' : l.level} ${l.handler!.state}`);
  let server: TestServer;
  const stubs: HandlerStub[] = [];
  const stub = async () => {
    const handler = await new HandlerStub().start();
    stubs.push(handler);
    return handler;
  };

  const emit = (botId: number, dialogId: string, message: string) =>
    server.db.tx((tx) =>
      server.app.domain.events.emit(tx, {
        event: 'ONIMBOTMESSAGEADD',
        botIds: [botId],
        userId: 1,
        dialogId,
        params: { DIALOG_ID: dialogId, MESSAGE: message },
      }),
    );
  /** True once the delivery of `message` has had `n` attempts and their outcome is recorded. */
  const attemptDone = async (message: string, n: number) => {
    const [row] = await server.db.query(
      `SELECT d.attempts, d.lease_until, d.status FROM event_deliveries d JOIN event_log l ON l.id = d.event_id
       WHERE l.data->>'MESSAGE' = $1`,
      [message],
    );
    return row?.attempts >= n && row.lease_until === null;
  };

  before(async () => {
    server = await startTestServer({
      clock,
      log,
      // A long timeout: the lease of a POST in flight outlives the clock moves of the queueing case.
      config: { delivery: { ...FAST, timeoutMs: 60_000 } },
      features: [eventDelivery({ adminToken: 'admin' })],
    });
  });
  after(async () => {
    await server.close();
    for (const handler of stubs) await handler.down();
  });

  it('warns within seconds of registering a bot whose handler nobody listens on: refused or unknown host', async () => {
    const handler = await stub();
    await handler.down(); // the port stays this stub's: connections are refused
    await botWithHandler(server, 'down', 'down_bot', handler.url);
    await eventually(() => handlerLines(handler.url).length > 0);
    const [warning] = lines.filter((l) => l.handler?.url === handler.url);
    assert.equal(warning.level, WARN);
    assert.equal(warning.handler!.state, 'unreachable');
    assert.match(warning.msg, /takes no connection \(.*ECONNREFUSED.*\).*/);
    assert.match(warning.msg, /bot=down_bot/);

    const nowhere = 'http://nobody-listens.invalid/handler';
    await botWithHandler(server, 'nowhere', 'nowhere_bot', nowhere);
    await eventually(() => handlerLines(nowhere).length > 0);
    assert.deepEqual(handlerLines(nowhere), ['warn unreachable']);

    // imbot.update to another dead handler warns about that one too; its first failed event adds no second warning.
    const other = await stub();
    await other.down();
    const botId = (await server.call('imbot.bot.list', { CLIENT_ID: 'down' })).body.result;
    const id = Number(Object.keys(botId)[0]);
    const updated = await server.call('imbot.update', {
      BOT_ID: id,
      CLIENT_ID: 'down',
      FIELDS: { EVENT_HANDLER: other.url },
    });
    assert.equal(updated.body.result, true, JSON.stringify(updated.body));
    await eventually(() => handlerLines(other.url).length > 0);
    await emit(id, '1', 'to-the-dead');
    await eventually(() => attemptDone('to-the-dead', 1));
    assert.deepEqual(handlerLines(other.url), ['warn unreachable']);
  });

  it('warns when a handler starts failing and when it fails again after recovering, never per retry', async () => {
    const handler = await stub();
    const botId = await botWithHandler(server, 'flaky', 'flaky_bot', handler.url);
    handler.status = 500;
    await emit(botId, '1', 'f1');
    for (let attempt = 1; attempt <= 3; attempt++) {
      await eventually(() => attemptDone('f1', attempt));
      if (attempt < 3) clock.advance(FAST.retryMaxMs);
    }
    assert.deepEqual(handlerLines(handler.url), ['warn failing']);
    const failing = lines.find((l) => l.handler?.url === handler.url)!;
    assert.match(failing.msg, /is failing \(HTTP 500\) \(app=customflaky bot=flaky_bot\)/);

    handler.status = 200;
    clock.advance(FAST.retryMaxMs);
    await handler.waitFor(3);
    await eventually(() => handlerLines(handler.url).length === 2);
    assert.deepEqual(handlerLines(handler.url), ['warn failing', 'info recovered']);
    assert.match(lines.filter((l) => l.handler?.url === handler.url)[1].msg, /recovered after 3 failed attempts/);

    handler.status = 503;
    await emit(botId, '1', 'f2');
    await eventually(() => attemptDone('f2', 1));
    clock.advance(FAST.retryMaxMs);
    await eventually(() => attemptDone('f2', 2));
    handler.status = 200;
    clock.advance(FAST.retryMaxMs);
    await eventually(() => handlerLines(handler.url).length === 4);
    assert.deepEqual(handlerLines(handler.url), ['warn failing', 'info recovered', 'warn failing', 'info recovered']);
  });

  it('warns once when a handler’s events wait before they go out, and tells when it has caught up', async () => {
    const handler = await stub();
    const botId = await botWithHandler(server, 'slow', 'slow_bot', handler.url);
    let release!: () => void;
    handler.gate = new Promise((resolve) => {
      release = resolve;
    });
    await emit(botId, '1', 's1');
    await eventually(() => handler.arrived === 1);
    // s2 waits behind s1, which its handler holds while the clock moves on.
    await emit(botId, '1', 's2');
    await emit(botId, '1', 's3');
    clock.advance(QUEUE_LAG_MS);
    handler.gate = undefined;
    release();
    await handler.waitFor(3);
    await eventually(() => handlerLines(handler.url).length === 1);
    assert.deepEqual(handlerLines(handler.url), ['warn queueing']);
    assert.match(lines.find((l) => l.handler?.url === handler.url)!.msg, /events wait 10 s before they are sent/);

    await emit(botId, '1', 's4');
    await handler.waitFor(4);
    await eventually(() => handlerLines(handler.url).length === 2);
    assert.deepEqual(handlerLines(handler.url), ['warn queueing', 'info recovered']);
    assert.match(lines.filter((l) => l.handler?.url === handler.url)[1].msg, /caught up/);
  });
});
