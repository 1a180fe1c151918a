import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Database } from '../../src/store/db.ts';
import { eventually, HandlerStub } from '../helpers/handler.ts';
import { testDatabase } from '../helpers/harness.ts';
import { type ServerProcess, startServerProcess } from '../helpers/processes.ts';

/**
 * The real server process accepts messages for a bot whose handler is down, is killed with SIGKILL before it could
 * deliver them, and is started again on the same database: every event arrives, in order.
 */
describe('delivery survives SIGKILL', () => {
  const handler = new HandlerStub();
  let db: Database;
  let server: ServerProcess | undefined;
  let env: Record<string, string>;

  const rest = async (method: string, params: Record<string, unknown>) => {
    const res = await fetch(`${server!.url}/rest/1/killtoken/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(params),
    });
    return { status: res.status, body: (await res.json()) as any };
  };

  before(async () => {
    await handler.start();
    await handler.down(); // refused until it comes back, on the same port
    db = await testDatabase();
    env = {
      DATABASE_URL: db.url,
      B24_WEBHOOK: '1:killtoken',
      B24_LIMITS: 'off',
      B24_DELIVERY_RETRY_MIN: '0.2',
      B24_DELIVERY_RETRY_MAX: '0.4',
      B24_DELIVERY_TIMEOUT: '2',
    };
  });
  after(async () => {
    await server?.stop('SIGKILL');
    await db.close();
    await handler.down();
  });

  it('delivers what the killed server had accepted', async () => {
    server = await startServerProcess(env);
    const reg = await rest('imbot.register', {
      CODE: 'kill_bot',
      CLIENT_ID: 'kill',
      EVENT_HANDLER: handler.url,
      PROPERTIES: { NAME: 'Kill' },
    });
    const botId = reg.body.result;
    assert.equal(typeof botId, 'number', JSON.stringify(reg.body));
    for (let n = 1; n <= 5; n++) {
      const sent = await rest('im.message.add', { DIALOG_ID: String(botId), MESSAGE: `m${n}` });
      assert.equal(sent.status, 200, JSON.stringify(sent.body));
    }
    // The server has been trying: the first delivery failed at least once.
    await eventually(async () => {
      const [row] = await db.query(`SELECT max(attempts) AS attempts FROM event_deliveries`);
      return row.attempts >= 1;
    });
    assert.equal(await server.stop('SIGKILL'), 'SIGKILL');
    server = undefined;

    await handler.start();
    server = await startServerProcess(env);
    // The messenger also tells the bot it was joined (ONIMBOTJOINCHAT) when the dialog opened.
    const received = await eventually(() => {
      const messages = handler.received.filter((r) => r.form.event === 'ONIMBOTMESSAGEADD');
      return messages.length >= 5 ? messages : null;
    }, 30_000);
    assert.deepEqual(
      received.map((r) => r.form.data.PARAMS.MESSAGE),
      ['m1', 'm2', 'm3', 'm4', 'm5'],
    );
    assert.equal(new Set(received.map((r) => r.eventId)).size, 5);
  });
});
