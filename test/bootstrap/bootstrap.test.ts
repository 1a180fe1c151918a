import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { bootstrap, parseBootstrap } from '../../src/bootstrap.ts';
import { loadConfig } from '../../src/config/config.ts';
import { ConfigError } from '../../src/config/config-error.ts';
import { startTestServer, type TestServer, testDatabase } from '../helpers/harness.ts';
import { startServerProcess } from '../helpers/processes.ts';

describe('B24_WEBHOOK and B24_APP specs', () => {
  it('reads user id, token and optional scopes; client id, secret and optional scopes', () => {
    assert.deepEqual(parseBootstrap({ webhook: '1:secret', app: 'local.a.b:s3cr3t:imbot, im' }), {
      webhook: { userId: 1, token: 'secret', scopes: [] },
      app: { clientId: 'local.a.b', clientSecret: 's3cr3t', scopes: ['imbot', 'im'] },
    });
    assert.deepEqual(parseBootstrap({ webhook: '7:tok:imbot,user', app: null }), {
      webhook: { userId: 7, token: 'tok', scopes: ['imbot', 'user'] },
    });
  });

  it('refuses malformed specs with a message that names the variable and not the secret', () => {
    const cases: [Partial<Record<'webhook' | 'app', string>>, RegExp][] = [
      [{ webhook: 'secretonly' }, /^B24_WEBHOOK must look like <userId>:<token>\[:scope,scope\]$/],
      [{ webhook: '1:' }, /^B24_WEBHOOK must look like/],
      [{ webhook: '1:tok:imbot:extra' }, /^B24_WEBHOOK must look like/],
      [{ webhook: 'admin:tok' }, /^B24_WEBHOOK: the user id must be a positive number \(got admin\)$/],
      [{ webhook: '0:tok' }, /user id must be a positive number/],
      [{ webhook: '1:to/k' }, /^B24_WEBHOOK: the token may hold only/],
      [{ webhook: '1:tok:Im Bot' }, /^B24_WEBHOOK: Im Bot is not a scope name/],
      [{ app: 'local.a.b' }, /^B24_APP must look like <client_id>:<client_secret>\[:scope,scope\]$/],
      [{ app: 'local a:sec' }, /^B24_APP: client_id and client_secret may hold only/],
      [{ app: 'id:sec:IMBOT' }, /^B24_APP: IMBOT is not a scope name/],
    ];
    for (const [spec, message] of cases) {
      assert.throws(
        () => parseBootstrap({ webhook: null, app: null, ...spec }),
        (error: Error) =>
          error instanceof ConfigError && message.test(error.message) && !/to\/k|sec\b/.test(error.message),
        JSON.stringify(spec),
      );
    }
  });
});

describe('bootstrap on a store', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it('makes the webhook and the app exist, and running it again changes nothing', async () => {
    const config = {
      ...server.app.services.config,
      webhook: '1:boothook:imbot',
      app: 'local.boot.app:bootsecret:imbot,im',
    };
    const first = await bootstrap(config, server.app.domain);
    assert.equal(first.webhook!.token, 'boothook');
    assert.deepEqual(first.webhook!.scopes, ['imbot']);
    assert.equal(first.app!.client_secret, 'bootsecret');
    const second = await bootstrap(config, server.app.domain);
    assert.equal(second.webhook!.id, first.webhook!.id);
    assert.equal(second.app!.id, first.app!.id);
    assert.equal(second.app!.application_token, first.app!.application_token, 'a restart keeps the application token');
    const call = await server.call('server.time', {}, `${server.url}/rest/1/boothook/`);
    assert.equal(call.status, 200);
  });

  it('refuses a webhook for a user who does not exist or is a bot', async () => {
    const bot = await server.app.domain.users.create({ name: 'Bot', is_bot: true });
    for (const webhook of ['4242:tok', `${bot.id}:tok`]) {
      await assert.rejects(
        bootstrap({ ...server.app.services.config, webhook, app: null }, server.app.domain),
        (error: Error) =>
          error instanceof ConfigError && /B24_WEBHOOK names user \d+, who does not exist/.test(error.message),
      );
    }
  });
});

describe('b24-local serve with a bad spec', () => {
  let dataDir: string;
  before(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'b24-boot-'));
  });
  after(() => rm(dataDir, { recursive: true, force: true }));

  it('exits 1 with one clear line, no stack trace, before and after the store opens', async () => {
    const db = await testDatabase();
    try {
      for (const [webhook, message] of [
        ['nonsense', 'B24_WEBHOOK must look like <userId>:<token>[:scope,scope]'],
        ['77:tok', 'B24_WEBHOOK names user 77, who does not exist'],
      ]) {
        await assert.rejects(
          startServerProcess({ B24_WEBHOOK: webhook, DATABASE_URL: db.url, B24_DATA_DIR: dataDir }),
          (error: Error) => {
            assert.match(error.message, /server exited \(1\) before listening/);
            assert.ok(error.message.includes(`b24-local failed to start: ${message}`), error.message);
            assert.ok(!/\n\s+at /.test(error.message), 'no stack trace');
            return true;
          },
        );
      }
    } finally {
      await db.close();
    }
  });

  it('a bad setting fails the same way', () => {
    assert.throws(() => loadConfig({ B24_LIMITS: 'lots' }), ConfigError);
  });
});
