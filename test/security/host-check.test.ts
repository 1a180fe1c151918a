import assert from 'node:assert/strict';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { adminApi } from '../../src/admin/api.ts';
import { eventDelivery } from '../../src/delivery/event-delivery.ts';
import { oauthServer } from '../../src/oauth/index.ts';
import { WEB_CLIENT_ID, webMessenger } from '../../src/web/index.ts';
import { startTestServer, type TestServer } from '../helpers/harness.ts';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A request with any Host and Origin (fetch will not send a Host of our choosing). */
function send(url: string, method: string, path: string, headers: Record<string, string>, body = ''): Promise<Answer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, method, path, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        text += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const signIn = JSON.stringify({ login: 'admin', password: 'admin' });
const json = { 'content-type': 'application/json' };
const ADMIN = { authorization: 'Bearer admin-token' };

// issue 11, defect 5: `POST /web/session` with `Host: attacker.example` handed out an admin token (DNS rebinding).
describe('Host and Origin of the session and admin endpoints', () => {
  let server: TestServer;
  let own: string;
  before(async () => {
    const access = { adminToken: 'admin-token', userTokensOf: WEB_CLIENT_ID };
    server = await startTestServer({
      config: { publicUrl: null },
      features: [oauthServer, webMessenger, adminApi(access), eventDelivery(access)],
    });
    own = new URL(server.url).host;
  });
  after(() => server.close());

  it('refuses a sign-in whose Host is not this server (a DNS-rebinding page)', async () => {
    const res = await send(server.url, 'POST', '/web/session', { ...json, host: 'attacker.example:8080' }, signIn);
    assert.equal(res.status, 403);
    const body = JSON.parse(res.body);
    assert.equal(body.error, 'ACCESS_DENIED');
    assert.match(body.error_description, /attacker\.example/);
    assert.equal(body.access_token, undefined);
  });

  it('refuses the admin API, the delivery admin, the admin page, the picker and OAuth sign-in under a foreign Host', async () => {
    const paths: [string, string][] = [
      ['GET', '/admin/api/status'],
      ['GET', '/admin/api/deliveries'],
      ['GET', '/admin'],
      ['GET', '/web/session/users'],
      ['GET', '/oauth/authorize/?client_id=x&user_id=1'],
    ];
    for (const [method, path] of paths) {
      const res = await send(server.url, method, path, { ...ADMIN, host: 'rebind.attacker.example' });
      assert.equal(res.status, 403, path);
      assert.equal(JSON.parse(res.body).error, 'ACCESS_DENIED', path);
    }
  });

  it('answers its own addresses: the listening address and loopback names', async () => {
    const port = new URL(server.url).port;
    for (const host of [own, `localhost:${port}`, `[::1]:${port}`, `app.localhost:${port}`]) {
      const res = await send(server.url, 'POST', '/web/session', { ...json, host }, signIn);
      assert.equal(res.status, 200, host);
      assert.equal(JSON.parse(res.body).user_id, 1);
      assert.equal((await send(server.url, 'GET', '/admin/api/status', { ...ADMIN, host })).status, 200, host);
    }
  });

  it('refuses a cross-site Origin and accepts the page’s own', async () => {
    const evil = await send(
      server.url,
      'POST',
      '/web/session',
      { ...json, host: own, origin: 'https://evil.example' },
      signIn,
    );
    assert.equal(evil.status, 403);
    assert.match(JSON.parse(evil.body).error_description, /Origin "https:\/\/evil\.example"/);
    const ok = await send(server.url, 'POST', '/web/session', { ...json, host: own, origin: `http://${own}` }, signIn);
    assert.equal(ok.status, 200);
  });

  it('leaves the REST API alone: bots call it under any name (a container name, a LAN address)', async () => {
    const res = await send(server.url, 'POST', '/rest/1/testtoken/profile', { ...json, host: 'b24-local:8080' }, '{}');
    assert.equal(res.status, 200);
  });

  it('forbids framing of the messenger and the OAuth sign-in pages', async () => {
    for (const path of ['/', '/admin', '/oauth/authorize/?client_id=nope']) {
      const res = await send(server.url, 'GET', path, { host: own });
      assert.match(String(res.headers['content-security-policy']), /frame-ancestors 'none'/, path);
      assert.equal(res.headers['x-frame-options'], 'DENY', path);
    }
  });
});

describe('Host check with B24_PUBLIC_URL', () => {
  let server: TestServer;
  let local: string; // the listening address; server.url is the public one
  before(async () => {
    server = await startTestServer({
      config: { publicUrl: 'https://chat.example.org' },
      features: [webMessenger, adminApi({ adminToken: 'admin-token' })],
    });
    local = `http://127.0.0.1:${(server.app.fastify.server.address() as AddressInfo).port}`;
  });
  after(() => server.close());

  it('accepts the public name and origin, still refuses others', async () => {
    const headers = { ...json, host: 'chat.example.org', origin: 'https://chat.example.org' };
    assert.equal((await send(local, 'POST', '/web/session', headers, signIn)).status, 200);
    const other = await send(local, 'POST', '/web/session', { ...json, host: 'chat.example.org.evil.example' }, signIn);
    assert.equal(other.status, 403);
  });
});
