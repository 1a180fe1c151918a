import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../src/config/config.ts';
import { startTestServer, type TestServer } from '../helpers/harness.ts';

// Params as every client sends them (b24restdocs settings/how-to-call-rest-api/data-encoding.md): JSON keeps types,
// forms and queries send strings, and hostile input must end in a clear 4xx, never a 5xx.
describe('wire: param encodings and hostile input', () => {
  let server: TestServer;
  const LIMIT = 256 * 1024;

  before(async () => {
    const { bodyLimit } = loadConfig({ B24_BODY_LIMIT: String(LIMIT) });
    server = await startTestServer({ config: { bodyLimit } });
  });
  after(() => server.close());

  const post = async (method: string, body: string, type = 'application/json') => {
    const res = await fetch(`${server.webhook}${method}`, { method: 'POST', headers: { 'content-type': type }, body });
    const text = await res.text();
    return { status: res.status, type: res.headers.get('content-type'), body: JSON.parse(text) };
  };

  it('numbers and strings are interchangeable', async () => {
    const asNumber = await server.call('user.get', { FILTER: { ID: 1 }, start: 0 });
    const asString = await server.call('user.get', { FILTER: { ID: '1' }, start: '0' });
    const asForm = await post('user.get', 'FILTER[ID]=1&start=0', 'application/x-www-form-urlencoded');
    assert.deepEqual(asNumber.body.result, asString.body.result);
    assert.deepEqual(asForm.body.result, asNumber.body.result);
    assert.equal(asNumber.body.result.length, 1);
    for (const halt of [true, 'true', 1, '1', 'Y']) {
      const res = await server.call('batch', { halt, cmd: ['no.such', 'server.time'] });
      assert.deepEqual(res.body.result.result, [], `halt=${JSON.stringify(halt)}`);
    }
  });

  it('Cyrillic and emoji round-trip through JSON, form and query', async () => {
    const name = 'Сергей 🚀 Ünïcødé';
    const add = await server.call('user.add', { EMAIL: 'u1@example.com', NAME: name, UF_DEPARTMENT: [1] });
    assert.equal(add.status, 200, JSON.stringify(add.body));
    const viaJson = await server.call('user.get', { FILTER: { NAME: name } });
    assert.equal(viaJson.body.result[0].NAME, name);
    const viaForm = await post(
      'user.get',
      `FILTER[NAME]=${encodeURIComponent(name)}`,
      'application/x-www-form-urlencoded; charset=utf-8',
    );
    assert.equal(viaForm.body.result[0].NAME, name);
    const viaQuery = await (await fetch(`${server.webhook}user.get?FILTER[NAME]=${encodeURIComponent(name)}`)).json();
    assert.equal(viaQuery.result[0].NAME, name);
    const form2 = await post(
      'user.update',
      `ID=${add.body.result}&LAST_NAME=${encodeURIComponent('Иванов+')}`,
      'application/x-www-form-urlencoded',
    );
    assert.equal(form2.body.result, true);
    const got = await server.call('user.get', { ID: add.body.result });
    assert.equal(got.body.result[0].LAST_NAME, 'Иванов+');
  });

  it('a repeated key keeps its last value, as PHP parse_str does; [] appends', async () => {
    const res = await post(
      'user.get',
      'FILTER[ID]=999&FILTER[ID]=1&select[]=ID&select[]=NAME',
      'application/x-www-form-urlencoded',
    );
    assert.deepEqual(res.body.result, [{ ID: '1', NAME: 'Admin' }]);
    const query = await (await fetch(`${server.webhook}method.get?name=no.such&name=user.get`)).json();
    assert.deepEqual(query.result, { isExisting: true, isAvailable: true });
  });

  it('a + in a form body is a space', async () => {
    const res = await post(
      'user.get',
      'FILTER[NAME]=Admin+&FILTER[%LAST_NAME]=Lo',
      'application/x-www-form-urlencoded',
    );
    assert.deepEqual(res.body.result, [], '"Admin " is not "Admin"');
    const ok = await post('user.get', 'FILTER[%25LAST_NAME]=Lo+cal', 'application/x-www-form-urlencoded');
    assert.equal(ok.status, 200);
  });

  it('200 levels of nesting in JSON and in a query → no 5xx', async () => {
    let nested: unknown = 'x';
    for (let i = 0; i < 200; i++) nested = { a: nested };
    const json = await post('user.get', JSON.stringify({ FILTER: nested, select: nested }));
    assert.equal(json.status, 200);
    const query = `FILTER${'[a]'.repeat(200)}=1`;
    const form = await post('user.get', query, 'application/x-www-form-urlencoded');
    assert.equal(form.status, 200);
    const viaGet = await fetch(`${server.webhook}batch?cmd${'[a]'.repeat(200)}=server.time`);
    assert.ok(viaGet.status < 500, String(viaGet.status));
  });

  it("JSON nested deeper than 512 levels (PHP json_decode's limit) → 400 INVALID_REQUEST", async () => {
    const deep = (n: number) => `{"FILTER":${'{"a":'.repeat(n)}1${'}'.repeat(n)}}`;
    assert.equal((await post('user.get', deep(510))).status, 200);
    const res = await post('user.get', deep(600));
    assert.equal(res.status, 400);
    assert.equal(res.body.error, 'INVALID_REQUEST');
    const arrays = await post('server.time', `{"a":${'['.repeat(100_000)}${']'.repeat(100_000)}}`);
    assert.equal(arrays.status, 400);
    const inString = await post('server.time', JSON.stringify({ a: '['.repeat(5000) }));
    assert.equal(inString.status, 200, 'brackets inside strings do not count');
  });

  it('10 000 params → no 5xx', async () => {
    const form = Array.from({ length: 10000 }, (_, i) => `p${i}=${i}`).join('&');
    const viaForm = await post('server.time', form, 'application/x-www-form-urlencoded');
    assert.equal(viaForm.status, 200);
    const json = JSON.stringify(Object.fromEntries(Array.from({ length: 10000 }, (_, i) => [`p${i}`, i])));
    const viaJson = await post('user.get', json);
    assert.equal(viaJson.status, 200);
  });

  it("an id past the integer range is the param's own error, not a failing query", async () => {
    const typing = await server.call('imbot.chat.sendTyping', { BOT_ID: 99999999999, DIALOG_ID: '1', CLIENT_ID: 'x' });
    assert.equal(typing.status, 400);
    assert.equal(typing.body.error, 'BOT_ID_ERROR');
    const update = await server.call('user.update', { ID: '2147483648', NAME: 'x' });
    assert.equal(update.body.error, 'ERROR_CORE');
  });

  it('invalid JSON → 400 INVALID_REQUEST', async () => {
    for (const body of ['{"a":', '{a:1}', '[1,2', '{"a":1}}']) {
      const res = await post('server.time', body);
      assert.equal(res.status, 400, body);
      assert.equal(res.body.error, 'INVALID_REQUEST');
      assert.equal(res.type, 'application/json; charset=utf-8');
    }
  });

  it('a JSON body that is a scalar → 400 INVALID_REQUEST; null is no params', async () => {
    for (const body of ['"text"', '42', 'true']) {
      const res = await post('server.time', body);
      assert.equal(res.status, 400, body);
      assert.equal(res.body.error, 'INVALID_REQUEST');
    }
    assert.equal((await post('server.time', 'null')).status, 200);
  });

  it('a body over B24_BODY_LIMIT → 413 REQUEST_TOO_LARGE, in JSON, form and multipart', async () => {
    const big = 'x'.repeat(LIMIT + 1);
    for (const [body, type] of [
      [JSON.stringify({ a: big }), 'application/json'],
      [`a=${big}`, 'application/x-www-form-urlencoded'],
    ]) {
      const res = await post('server.time', body, type);
      assert.equal(res.status, 413, type);
      assert.equal(res.body.error, 'REQUEST_TOO_LARGE');
      assert.match(res.body.error_description, /larger than 262144 bytes \(raise B24_BODY_LIMIT/);
      assert.equal(res.type, 'application/json; charset=utf-8');
    }
    const form = new FormData();
    form.append('file', new Blob([Buffer.alloc(LIMIT + 1)]), 'big.bin');
    const multipart = await fetch(`${server.webhook}server.time`, { method: 'POST', body: form });
    assert.equal(multipart.status, 413);
    const multipartBody = await multipart.json();
    assert.equal(multipartBody.error, 'REQUEST_TOO_LARGE');
    assert.match(multipartBody.error_description, /262144 bytes/);
  });

  it('a malformed multipart body → 400 INVALID_REQUEST', async () => {
    for (const [body, type] of [
      ['--xyz\r\nnonsense', 'multipart/form-data; boundary=xyz'],
      ['abc', 'multipart/form-data'],
    ]) {
      const res = await post('server.time', body, type);
      assert.equal(res.status, 400, type);
      assert.equal(res.body.error, 'INVALID_REQUEST');
    }
  });

  it('a body with no content type is read by its first character', async () => {
    const res = await fetch(`${server.webhook}user.get`, { method: 'POST', body: '{"FILTER":{"ID":1}}' });
    assert.equal(res.status, 200);
    assert.equal((await res.json()).result.length, 1);
  });

  it('broken percent-encoding: in a value it is kept, in the path it names no method', async () => {
    const value = await fetch(`${server.webhook}user.get?FILTER[NAME]=%E0%A4%A`);
    assert.equal(value.status, 200);
    await value.text();
    for (const path of [`${server.webhook}%E0%A4%A`, `${server.url}/rest/%E0%A4%A`]) {
      const res = await fetch(path);
      assert.equal(res.status, 404, path);
      assert.equal(res.headers.get('content-type'), 'application/json; charset=utf-8');
      assert.deepEqual(await res.json(), { error: 'ERROR_METHOD_NOT_FOUND', error_description: 'Method not found!' });
    }
    const outside = await fetch(`${server.url}/x/%E0%A4%A`);
    assert.equal(outside.status, 404);
    assert.equal((await outside.json()).error, 'NOT_FOUND');
  });
});
