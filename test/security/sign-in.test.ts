import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../../src/clock.ts';
import { configWarnings, loadConfig } from '../../src/config/config.ts';
import { hashPassword } from '../../src/domain/users.ts';
import { webMessenger } from '../../src/web/index.ts';
import { startTestServer, type TestServer } from '../helpers/harness.ts';

const post = async (url: string, body: unknown) => {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.json() };
};

// issue 11, defect 5: development mode was on by default on every interface, the default admin/admin password
// stayed valid, and failed sign-ins were never throttled.
describe('development mode follows HOST', () => {
  it('is on for loopback, off elsewhere unless B24_DEV says so, with a warning either way', () => {
    for (const host of ['127.0.0.1', 'localhost', '::1']) {
      const config = loadConfig({ HOST: host });
      assert.equal(config.dev, true, host);
      assert.deepEqual(configWarnings(config), []);
    }
    const open = loadConfig({ HOST: '0.0.0.0' });
    assert.equal(open.dev, false);
    assert.match(configWarnings(open)[0], /development mode is off because HOST=0\.0\.0\.0/);
    const forced = loadConfig({ HOST: '192.168.1.20', B24_DEV: 'on' });
    assert.equal(forced.dev, true);
    assert.match(configWarnings(forced)[0], /anyone who reaches this server can sign in as anyone/);
    assert.equal(loadConfig({ HOST: '127.0.0.1', B24_DEV: 'off' }).dev, false);
  });
});

describe('password sign-in outside development mode', () => {
  let server: TestServer;
  const clock = new ManualClock();
  const session = () => `${server.url}/web/session`;
  before(async () => {
    server = await startTestServer({ clock, config: { dev: false }, features: [webMessenger] });
    await server.app.domain.users.create({ name: 'Bea', login: 'bea', password_hash: hashPassword('secret-bea') });
  });
  after(() => server.close());

  it('the one-click sign-in is off', async () => {
    const res = await post(session(), { user_id: 1 });
    assert.equal(res.body.error, 'WRONG_LOGIN');
    assert.equal((await fetch(`${server.url}/web/session/users`)).status, 404);
  });

  it('the default admin/admin signs in only together with a new password, which then replaces it', async () => {
    const first = await post(session(), { login: 'admin', password: 'admin' });
    assert.equal(first.status, 403);
    assert.equal(first.body.error, 'PASSWORD_CHANGE_REQUIRED');
    assert.equal(first.body.access_token, undefined);
    for (const weak of ['short', 'admin', 42]) {
      const res = await post(session(), { login: 'admin', password: 'admin', new_password: weak });
      assert.equal(res.body.error, 'PASSWORD_TOO_WEAK');
    }
    const changed = await post(session(), { login: 'admin', password: 'admin', new_password: 'a-better-one' });
    assert.equal(changed.status, 200);
    assert.equal(changed.body.user_id, 1);
    assert.equal((await post(session(), { login: 'admin', password: 'admin' })).body.error, 'WRONG_LOGIN');
    assert.equal((await post(session(), { login: 'admin', password: 'a-better-one' })).status, 200);
  });

  it('throttles failed sign-ins per login, then per address, until the window passes', async () => {
    for (let i = 0; i < 5; i++) {
      assert.equal((await post(session(), { login: 'bea', password: `wrong-${i}` })).body.error, 'WRONG_LOGIN');
    }
    // The sixth attempt is refused even with the right password: guessing cannot go on.
    const blocked = await post(session(), { login: 'BEA', password: 'secret-bea' });
    assert.equal(blocked.status, 503);
    assert.equal(blocked.body.error, 'QUERY_LIMIT_EXCEEDED');
    assert.match(blocked.body.error_description, /Too many failed sign-in attempts; try again in \d+ seconds/);
    assert.ok(Number(blocked.retryAfter) > 0 && Number(blocked.retryAfter) <= 900);
    // Another account from the same address still signs in, until the address has failed 20 times.
    assert.equal((await post(session(), { login: 'admin', password: 'a-better-one' })).status, 200);
    for (let i = 0; i < 15; i++) await post(session(), { login: `ghost-${i}`, password: 'x' });
    assert.equal(
      (await post(session(), { login: 'admin', password: 'a-better-one' })).body.error,
      'QUERY_LIMIT_EXCEEDED',
    );
    clock.advance(15 * 60_000);
    assert.equal((await post(session(), { login: 'bea', password: 'secret-bea' })).status, 200);
    assert.equal((await post(session(), { login: 'admin', password: 'a-better-one' })).status, 200);
  });
});
