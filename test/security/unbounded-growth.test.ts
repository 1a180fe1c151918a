import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../../src/clock.ts';
import { eventDelivery } from '../../src/delivery/event-delivery.ts';
import { DeliveryRetention } from '../../src/delivery/retention.ts';
import { eventually, FAST, HandlerStub } from '../helpers/handler.ts';
import { startTestServer, type TestServer } from '../helpers/harness.ts';

const DAY = 86_400_000;

// issue 11, defect 9: every delivery attempt minted a new OAuth token pair that was never removed (330 tokens after
// 157 attempts), and delivered and failed deliveries were never pruned.
describe('event delivery does not grow the store without bound', () => {
  const handler = new HandlerStub();
  let server: TestServer;
  let appId: number;
  let botId: number;
  const tokens = async () =>
    Number(
      (await server.db.one<{ n: string }>('SELECT count(*) AS n FROM oauth_tokens WHERE app_id = $1', [appId]))!.n,
    );
  const deliveries = async (status: string) =>
    Number(
      (await server.db.one<{ n: string }>('SELECT count(*) AS n FROM event_deliveries WHERE status = $1', [status]))!.n,
    );

  before(async () => {
    await handler.start();
    server = await startTestServer({
      config: { delivery: { ...FAST, maxAttempts: 20 } },
      features: [eventDelivery({ adminToken: 'x' })],
    });
    const app = await server.app.domain.identities.createApp({ clientId: 'local.growth', scopes: ['imbot', 'im'] });
    appId = app.id;
    const grant = await server.app.domain.identities.issueTokens(app, 1);
    const res = await server.call(
      'imbot.register',
      { CODE: 'growth', EVENT_HANDLER: handler.url, PROPERTIES: { NAME: 'Growth' }, auth: grant.access_token },
      `${server.url}/rest/`,
    );
    botId = res.body.result;
    assert.equal(typeof botId, 'number', JSON.stringify(res.body));
  });
  after(async () => {
    await server.close();
    await handler.down();
  });

  it('reuses one token pair per application and user across events and retries', async () => {
    const before = await tokens();
    handler.status = 500; // every message is tried several times before it goes through
    let failures = 0;
    handler.delayMs = () => {
      if (++failures >= 8) handler.status = 200;
      return 0;
    };
    for (let n = 0; n < 5; n++) {
      await server.call('im.message.add', { DIALOG_ID: String(botId), MESSAGE: `m${n}` });
    }
    // Five messages, and the bot's welcome (ONIMBOTJOINCHAT) of the new dialog.
    await eventually(async () => (await deliveries('pending')) === 0 && (await deliveries('delivered')) === 6);
    assert.ok(handler.received.length >= 12, `${handler.received.length} POSTs`);
    const bodies = handler.received.map((r) => r.form);
    // The user's pair (auth) and the bot's pair (data[BOT]), each minted once.
    assert.equal(await tokens(), before + 2);
    assert.equal(new Set(bodies.map((f) => f.auth.access_token)).size, 1);
    assert.equal(new Set(bodies.map((f) => f.data.BOT[botId].access_token)).size, 1);
  });

  it('removes settled deliveries after the retention and expired tokens; keeps pending ones', async () => {
    await handler.down();
    await server.call('im.message.add', { DIALOG_ID: String(botId), MESSAGE: 'still pending' });
    await eventually(async () => (await deliveries('pending')) === 1);
    await server.db.query(
      `UPDATE oauth_tokens SET refresh_expires_at = now() - interval '1 day' WHERE id = (
      SELECT min(id) FROM oauth_tokens WHERE app_id = $1)`,
      [appId],
    );
    const live = (await tokens()) - 1;
    const soon = new DeliveryRetention(server.db, new ManualClock(Date.now() + 6 * DAY), 7 * DAY);
    assert.deepEqual(await soon.prune(), { deliveries: 0, tokens: 1 });
    assert.equal(await deliveries('delivered'), 6);
    const later = new DeliveryRetention(server.db, new ManualClock(Date.now() + 8 * DAY), 7 * DAY);
    assert.equal((await later.prune()).deliveries, 6);
    assert.equal(await deliveries('delivered'), 0);
    assert.equal(await deliveries('pending'), 1);
    assert.equal(await tokens(), live);
  });
});
