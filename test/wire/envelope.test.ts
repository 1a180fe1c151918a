import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../helpers/harness.ts';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/;

// The answer envelope (b24restdocs settings/how-to-call-rest-api/index.md, api-reference/data-types.md#time).
describe('wire: envelope and time block', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it('every success has the eight-field time block, consistent with itself', async () => {
    for (const method of ['server.time', 'user.current', 'user.get', 'batch', 'scope']) {
      const res = await fetch(`${server.webhook}${method}`);
      assert.equal(res.headers.get('content-type'), 'application/json; charset=utf-8');
      const body = await res.json();
      assert.deepEqual(Object.keys(body.time), [
        'start',
        'finish',
        'duration',
        'processing',
        'date_start',
        'date_finish',
        'operating_reset_at',
        'operating',
      ]);
      const t = body.time;
      assert.ok(t.finish >= t.start, method);
      assert.ok(Math.abs(t.duration - (t.finish - t.start)) < 1e-5, method);
      assert.ok(t.processing >= 0 && t.processing <= t.duration + 1e-5, method);
      assert.match(t.date_start, ISO);
      assert.match(t.date_finish, ISO);
      assert.equal(Date.parse(t.date_start) / 1000, Math.floor(t.start));
      assert.equal(typeof t.operating, 'number');
      assert.ok(Number.isInteger(t.operating_reset_at));
    }
  });

  it('key order: result, next, total, time', async () => {
    for (let i = 0; i < 60; i++) await server.app.domain.users.create({ name: `U${i}` });
    const text = await (await fetch(`${server.webhook}user.get`)).text();
    const order = ['"result"', '"next"', '"total"', '"time"'].map((k) => text.indexOf(`${k}:`));
    assert.deepEqual(
      [...order].sort((a, b) => a - b),
      order,
    );
    assert.ok(order.every((i) => i >= 0));
  });

  it('errors are {error, error_description} with their status, no time block, JSON content type', async () => {
    for (const [path, status] of [
      ['/rest/1/testtoken/no.such', 404],
      ['/rest/1/bad/server.time', 401],
      ['/rest/server.time', 401],
    ] as const) {
      const res = await fetch(`${server.url}${path}`);
      assert.equal(res.status, status);
      assert.equal(res.headers.get('content-type'), 'application/json; charset=utf-8');
      const body = await res.json();
      assert.deepEqual(Object.keys(body), ['error', 'error_description']);
    }
  });
});
