import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../helpers/harness.ts';

// URL shapes (b24restdocs settings/how-to-call-rest-api/general-principles.md, index.md): webhook and OAuth forms,
// the `.json` suffix, a trailing slash, and what the SDKs really send.
describe('wire: REST paths and credentials', () => {
  let server: TestServer;
  let token: string;

  before(async () => {
    server = await startTestServer();
    const app = await server.app.domain.identities.createApp({ clientId: 'local.wire.1' });
    token = (await server.app.domain.identities.issueTokens(app, 1)).access_token;
  });
  after(() => server.close());

  const get = async (path: string, init?: RequestInit) => {
    const res = await fetch(`${server.url}${path}`, init);
    return { status: res.status, type: res.headers.get('content-type'), body: await res.json() };
  };
  const json = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

  for (const path of [
    '/rest/1/testtoken/user.current',
    '/rest/1/testtoken/user.current.json',
    '/rest/1/testtoken/user.current/',
    '/rest/1/testtoken/user.current.json/',
    '/rest/1/testtoken/USER.CURRENT',
  ]) {
    it(`webhook ${path}`, async () => {
      const res = await get(path);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.result.ID, '1');
    });
  }

  it('//rest/... accepted: a base URL ending in / joined to a path starting with one', async () => {
    for (const path of [
      '//rest/1/testtoken/user.current',
      `//rest/user.current?auth=${token}`,
      '///rest//server.time',
    ]) {
      const res = await fetch(`${server.url}${path}`);
      const body = await res.json();
      assert.equal(res.status, path.includes('server.time') ? 401 : 200, `${path} ${JSON.stringify(body)}`);
    }
    const unknown = await get('//rest/1/testtoken/no.such.method');
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error, 'ERROR_METHOD_NOT_FOUND');
  });

  it('.xml suffix served as XML: <response>, text/xml, errors too', async () => {
    const res = await fetch(`${server.url}/rest/1/testtoken/user.current.xml`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/xml; charset=utf-8');
    const text = await res.text();
    assert.match(text, /^<\?xml version="1.0" encoding="utf-8"\?>\n<response><result><ID>1<\/ID>/);
    assert.match(text, /<time><start>[\d.]+<\/start>/);
    assert.match(text, /<\/time><\/response>$/);
    const batch = await fetch(
      `${server.url}/rest/1/testtoken/batch.xml`,
      json({ cmd: { a: 'server.time', b: 'no.such' } }),
    );
    const batchText = await batch.text();
    assert.match(
      batchText,
      /<response><result><result><a>[^<]+<\/a><\/result><result_error><b><error>ERROR_METHOD_NOT_FOUND<\/error>/,
    );
    const denied = await fetch(`${server.url}/rest/1/wrong/user.current.xml`);
    assert.equal(denied.status, 401);
    assert.equal(denied.headers.get('content-type'), 'text/xml; charset=utf-8');
    assert.equal(
      await denied.text(),
      '<?xml version="1.0" encoding="utf-8"?>\n<response><error>NO_AUTH_FOUND</error><error_description>Wrong authorization data</error_description></response>',
    );
    const list = await fetch(`${server.url}/rest/1/testtoken/scope.xml`);
    assert.match(await list.text(), /<response><result><item>[a-z_]+<\/item>/);
  });

  it('OAuth: auth in the query', async () => {
    const res = await get(`/rest/user.current?auth=${token}`);
    assert.equal(res.body.result.ID, '1');
  });

  it('OAuth: auth in a JSON body', async () => {
    const res = await get('/rest/user.current.json', json({ auth: token }));
    assert.equal(res.body.result.ID, '1');
  });

  it('OAuth: auth in a form body', async () => {
    const res = await get('/rest/user.current', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `auth=${token}`,
    });
    assert.equal(res.body.result.ID, '1');
  });

  it('OAuth: access_token= (what @2bad/bitrix sends)', async () => {
    const res = await get(`/rest/user.current?access_token=${token}`);
    assert.equal(res.body.result.ID, '1');
  });

  it('OAuth: Authorization: Bearer', async () => {
    const res = await get('/rest/user.current', { headers: { authorization: `Bearer ${token}` } });
    assert.equal(res.body.result.ID, '1');
  });

  it('OAuth: /rest//{method} with the bx24 query beside a JSON body (what @bitrix24/b24jssdk sends)', async () => {
    const res = await get(
      '/rest//method.get?bx24_request_id=0192f7a2-1111-4222-8333-444455556666&bx24_sdk_ver=1.0.1&bx24_sdk_type=oauth',
      json({ name: 'user.get', auth: token }),
    );
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body.result, { isExisting: true, isAvailable: true });
  });

  it('the auth param never reaches the method (user.get would read it as a filter key)', async () => {
    const res = await get(`/rest/user.get?auth=${token}&ID=1`);
    assert.deepEqual(
      res.body.result.map((u: { ID: string }) => u.ID),
      ['1'],
    );
  });

  it('GET with a bracket-nested query: FILTER[ID]=1&select[]=ID', async () => {
    const res = await get('/rest/1/testtoken/user.get?FILTER[ID]=1&select[]=ID&select[]=NAME');
    assert.deepEqual(res.body.result, [{ ID: '1', NAME: 'Admin' }]);
  });

  it('GET with percent-encoded brackets', async () => {
    const res = await get('/rest/1/testtoken/user.get?FILTER%5BID%5D=1&select%5B0%5D=ID');
    assert.deepEqual(res.body.result, [{ ID: '1' }]);
  });

  it('CRest-style form POST to {method}.json', async () => {
    const res = await get('/rest/1/testtoken/user.get.json', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'filter%5BID%5D=1&select%5B0%5D=ID&select%5B1%5D=LAST_NAME',
    });
    assert.deepEqual(res.body.result, [{ ID: '1', LAST_NAME: 'Local' }]);
  });

  it('multipart/form-data', async () => {
    const form = new FormData();
    form.append('FILTER[ID]', '1');
    form.append('select[]', 'ID');
    form.append('select[]', 'EMAIL');
    const res = await get('/rest/1/testtoken/user.get', { method: 'POST', body: form });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body.result, [{ ID: '1', EMAIL: 'admin@b24.local' }]);
  });

  it('multipart/form-data with a file and the OAuth auth field', async () => {
    const form = new FormData();
    form.append('auth', token);
    form.append('name', 'user.get');
    form.append('attachment', new Blob([Buffer.from('hello')]), 'hello.txt');
    const res = await get('/rest/method.get', { method: 'POST', body: form });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.result.isExisting, true);
  });

  it('an unknown method → 404 ERROR_METHOD_NOT_FOUND', async () => {
    for (const path of ['/rest/1/testtoken/no.such.method', `/rest/no.such.method?auth=${token}`]) {
      const res = await get(path);
      assert.equal(res.status, 404);
      assert.deepEqual(res.body, { error: 'ERROR_METHOD_NOT_FOUND', error_description: 'Method not found!' });
    }
  });

  it('the REST 3.0 prefix is not taken for a user id', async () => {
    const res = await get('/rest/api/1/testtoken/user.current');
    assert.equal(res.status, 404);
    assert.equal(res.body.error, 'ERROR_METHOD_NOT_FOUND');
  });

  it('paths outside /rest/ answer in the error envelope too', async () => {
    const res = await get('/nothing/here');
    assert.equal(res.status, 404);
    assert.equal(typeof res.body.error, 'string');
  });
});
