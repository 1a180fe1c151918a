import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from '../../src/clock.ts';
import { loadConfig } from '../../src/config/config.ts';
import { startTestServer, type TestServer } from '../helpers/harness.ts';

// b24restdocs limits.md "request rate": a leaky bucket per app or webhook; above X the next request is refused with
// 503 QUERY_LIMIT_EXCEEDED; the counter drains Y per second. Standard X=50, Y=2; Enterprise X=250, Y=5.
describe('limits: request rate (leaky bucket)', () => {
  const burst = async (server: TestServer, n: number, base = server.webhook) => {
    const statuses: number[] = [];
    for (let i = 0; i < n; i++) statuses.push((await server.call('server.time', {}, base)).status);
    return statuses;
  };

  it('standard: the 51st call of a burst → 503; after 1 s two more pass', async () => {
    const clock = new ManualClock();
    const server = await startTestServer({ clock, config: { limits: 'standard' } });
    try {
      assert.deepEqual(await burst(server, 50), Array(50).fill(200));
      const refused = await server.call('server.time');
      assert.equal(refused.status, 503);
      assert.deepEqual(refused.body, { error: 'QUERY_LIMIT_EXCEEDED', error_description: 'Too many requests' });
      clock.advance(1000);
      assert.deepEqual(await burst(server, 3), [200, 200, 503]);
      clock.advance(10_000);
      assert.deepEqual(await burst(server, 20), Array(20).fill(200), 'ten seconds drain twenty');
    } finally {
      await server.close();
    }
  });

  it('a batch counts once, whatever it runs', async () => {
    const clock = new ManualClock();
    const server = await startTestServer({ clock, config: { limits: 'standard' } });
    try {
      await burst(server, 48);
      const batch = await server.call('batch', { cmd: Array(50).fill('server.time') });
      assert.equal(batch.status, 200);
      assert.equal(batch.body.result.result.length, 50);
      assert.deepEqual(await burst(server, 2), [200, 503], '48 + 1 batch + 1 = 50');
    } finally {
      await server.close();
    }
  });

  it('each webhook and application has its own bucket; refused calls do not fill it', async () => {
    const clock = new ManualClock();
    const server = await startTestServer({ clock, config: { limits: 'standard' } });
    try {
      await burst(server, 60);
      const hook = await server.app.domain.identities.createWebhook(1, [], 'other');
      assert.deepEqual(await burst(server, 50, `${server.url}/rest/1/${hook.token}/`), Array(50).fill(200));
      clock.advance(500);
      assert.deepEqual(await burst(server, 2), [200, 503], 'the ten refused calls left no trace');
    } finally {
      await server.close();
    }
  });

  it('enterprise: 250 in a burst, then 5 per second', async () => {
    const clock = new ManualClock();
    const server = await startTestServer({ clock, config: { limits: 'enterprise' } });
    try {
      assert.deepEqual(await burst(server, 251), [...Array(250).fill(200), 503]);
      clock.advance(1000);
      assert.deepEqual(await burst(server, 6), [200, 200, 200, 200, 200, 503]);
    } finally {
      await server.close();
    }
  });

  it('B24_LIMITS=off: no rate limit', async () => {
    const config = loadConfig({ B24_LIMITS: 'off', LOG_LEVEL: 'silent' });
    const server = await startTestServer({ clock: new ManualClock(), config });
    try {
      assert.deepEqual(await burst(server, 300), Array(300).fill(200));
    } finally {
      await server.close();
    }
  });
});
