import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config/config.ts';
import type { Database } from '../../src/store/db.ts';
import { localCertificates } from '../../src/tls/local-ca.ts';
import { testDatabase } from '../helpers/harness.ts';
import { runCliProcess, startServerProcess } from '../helpers/processes.ts';

/** A real HTTPS GET that trusts only the given CA (or the system's when none). */
function get(url: string, ca?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    https
      .get(url, { ca }, (res) => {
        let body = '';
        res.on('data', (chunk) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

describe('local CA and server certificate', () => {
  let dataDir: string;
  before(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'b24-tls-'));
  });
  after(() => rm(dataDir, { recursive: true, force: true }));

  it('issues a CA and a server certificate for localhost, 127.0.0.1 and ::1, reused on the next start', async () => {
    const first = await localCertificates(dataDir);
    assert.equal(first.caPath, path.join(dataDir, 'tls', 'ca.pem'));
    const ca = new X509Certificate(await readFile(first.caPath));
    const server = new X509Certificate(first.cert);
    assert.ok(ca.ca);
    assert.ok(server.verify(ca.publicKey), 'signed by the CA');
    assert.ok(server.checkHost('localhost'));
    assert.ok(server.checkIP('127.0.0.1'));
    assert.ok(server.checkIP('::1'));
    assert.equal((await stat(path.join(dataDir, 'tls', 'ca-key.pem'))).mode & 0o077, 0, 'the CA key is private');
    const again = await localCertificates(dataDir);
    assert.equal(again.cert, first.cert);
    assert.equal(again.key, first.key);
  });

  it('reissues the server certificate (same CA) for a new host name, and before it expires', async () => {
    const before = await localCertificates(dataDir);
    const caBefore = await readFile(before.caPath, 'utf8');
    const named = await localCertificates(dataDir, ['b24.test']);
    assert.notEqual(named.cert, before.cert);
    assert.ok(new X509Certificate(named.cert).checkHost('b24.test'));
    assert.equal(await readFile(named.caPath, 'utf8'), caBefore, 'clients keep trusting the same CA');
    const late = await localCertificates(dataDir, ['b24.test'], Date.now() + 340 * 24 * 3600_000);
    assert.notEqual(late.cert, named.cert, 'renewed within 30 days of its end');
    assert.equal(await readFile(late.caPath, 'utf8'), caBefore);
  });

  it('serves HTTPS that a client trusting the CA accepts and others refuse', async () => {
    const db: Database = await testDatabase();
    const tls = await localCertificates(dataDir);
    const config = { ...loadConfig({ LOG_LEVEL: 'silent' }), port: 0, limits: 'off' as const };
    const app = await createApp({ config, db, https: { key: tls.key, cert: tls.cert } });
    try {
      const base = await app.listen();
      assert.ok(base.startsWith('https://127.0.0.1:'));
      await app.domain.identities.createWebhook(1, [], 'tlshook');
      const ca = await readFile(tls.caPath, 'utf8');
      const ok = await get(`${base}/rest/1/tlshook/server.time`, ca);
      assert.equal(ok.status, 200);
      assert.ok(JSON.parse(ok.body).result);
      const viaLocalhost = await get(`${base.replace('127.0.0.1', 'localhost')}/rest/1/tlshook/server.time`, ca);
      assert.equal(viaLocalhost.status, 200);
      await assert.rejects(get(`${base}/rest/1/tlshook/server.time`), /self-signed|unable to (get|verify)/i);
    } finally {
      await app.close();
      await db.close();
    }
  });
});

describe('b24-local serve with B24_TLS=on', () => {
  it('listens on https, prints the CA path, and the CLI reaches its admin API over TLS', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'b24-tls-'));
    await chmod(dataDir, 0o755);
    const db = await testDatabase();
    const env = { B24_TLS: 'on', DATABASE_URL: db.url, B24_DATA_DIR: dataDir };
    const server = await startServerProcess(env);
    try {
      assert.ok(server.url.startsWith('https://'), server.url);
      const caPath = path.join(dataDir, 'tls', 'ca.pem');
      assert.ok(server.stdout().includes(`TLS CA:        ${caPath}`), server.stdout());
      const hookUrl = /webhook URL: +(\S+)/.exec(server.stdout())![1];
      const time = await get(`${hookUrl}server.time`, await readFile(caPath, 'utf8'));
      assert.equal(time.status, 200);
      const hooks = await runCliProcess(['webhook', 'list'], env);
      assert.equal(hooks.code, 0, hooks.stderr);
      assert.ok(hooks.json[0].url.startsWith(server.url), 'answered by the running server');
    } finally {
      assert.equal(await server.stop(), 0);
      await db.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
