import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type App, createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config/config.ts';
import type { Database } from '../../src/store/db.ts';
import { localCertificates } from '../../src/tls/local-ca.ts';
import { testDatabase } from '../helpers/harness.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Runs an ES module script in a fresh node, as a bot would run, with `env`; its stdout parsed as JSON. */
function runScript(script: string, env: Record<string, string>): Promise<any> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    cwd: ROOT,
    env: { ...process.env, NODE_TEST_CONTEXT: '', ...env },
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk) => {
    out += chunk;
  });
  child.stderr.on('data', (chunk) => {
    err += chunk;
  });
  return new Promise((resolve, reject) => {
    child.once('close', (code) => {
      if (code !== 0) return reject(new Error(`script exited ${code}:\n${err}`));
      resolve(JSON.parse(out));
    });
  });
}

// README "Using b24-local with SDKs": B24Hook takes only https webhook URLs, so b24-local runs with its local CA and
// the bot's node trusts it through NODE_EXTRA_CA_CERTS, exactly as the README says.
describe('@bitrix24/b24jssdk B24Hook against b24-local over TLS', () => {
  let dataDir: string;
  let db: Database;
  let app: App;
  let hookUrl: string;
  let caPath: string;

  before(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'b24-sdk-'));
    db = await testDatabase();
    const tls = await localCertificates(dataDir);
    caPath = tls.caPath;
    const config = { ...loadConfig({ LOG_LEVEL: 'silent' }), port: 0, limits: 'off' as const };
    app = await createApp({ config, db, https: { key: tls.key, cert: tls.cert } });
    const base = await app.listen();
    await app.domain.identities.createWebhook(1, [], 'sdkhook');
    hookUrl = `${base}/rest/1/sdkhook/`;
  });
  after(async () => {
    await app.close();
    await db.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('B24Hook.fromWebhookUrl: calls methods, registers a bot, and sees Bitrix24 errors', async () => {
    const script = `
      import { B24Hook } from '@bitrix24/b24jssdk';
      const b24 = B24Hook.fromWebhookUrl(process.env.HOOK);
      b24.offClientSideWarning();
      const call = (method, params = {}) => b24.actions.v2.call.make({ method, params }).then((r) => r.getData().result);
      const me = await call('user.current');
      const botId = await call('imbot.register', {
        CODE: 'sdk_bot', TYPE: 'B', CLIENT_ID: 'sdk', EVENT_HANDLER: 'http://127.0.0.1:9/h', PROPERTIES: { NAME: 'SDK' },
      });
      const error = await call('imbot.chat.sendTyping', { BOT_ID: 999999, DIALOG_ID: '1', CLIENT_ID: 'sdk' }).then(
        () => null, (e) => e.code ?? e.answerError?.error ?? String(e));
      console.log(JSON.stringify({ me: me.ID, botId, error }));
    `;
    const out = await runScript(script, { HOOK: hookUrl, NODE_EXTRA_CA_CERTS: caPath });
    assert.equal(out.me, '1');
    assert.equal(typeof out.botId, 'number');
    const bot = await app.domain.bots.get(out.botId);
    assert.equal(bot?.code, 'sdk_bot');
    assert.match(String(out.error), /BOT_ID_ERROR/);
  });

  it('without the CA the same script fails on the certificate, not on the API', async () => {
    const script = `
      import { B24Hook } from '@bitrix24/b24jssdk';
      const b24 = B24Hook.fromWebhookUrl(process.env.HOOK);
      b24.offClientSideWarning();
      const error = await b24.actions.v2.call.make({ method: 'server.time', params: {} }).then(() => null, (e) => String(e.message ?? e));
      console.log(JSON.stringify({ error }));
    `;
    const out = await runScript(script, { HOOK: hookUrl, NODE_EXTRA_CA_CERTS: '' });
    assert.match(out.error, /certificate|self.signed|UNABLE_TO/i);
  });
});
