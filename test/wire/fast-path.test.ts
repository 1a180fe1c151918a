import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../helpers/harness.ts';

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One raw HTTP request; `chunked` sends the body without a length, which only the framework's route reads. */
function send(
  url: string,
  method: string,
  headers: Record<string, string>,
  body = '',
  chunked = false,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        text += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    if (chunked) {
      req.setHeader('transfer-encoding', 'chunked');
      if (body) req.write(body);
    } else if (body || method === 'POST') req.setHeader('content-length', Buffer.byteLength(body));
    req.end(body && !chunked ? body : undefined);
  });
}

/** The answer without what differs between two calls (the times, the date header). */
function comparable(answer: Answer) {
  const body = answer.body
    .replace(/"time":\{[^}]*\}/, '"time":{}')
    .replace(/<time>.*<\/time>/s, '<time/>')
    .replace(/"operating":[\d.e-]+/, '"operating":0');
  return {
    status: answer.status,
    type: answer.headers['content-type'],
    length: answer.headers['content-length'] === undefined ? undefined : 'set',
    body,
  };
}

// Plain REST calls are answered ahead of the framework (src/http/rest-fast-path.ts); a chunked body takes the
// framework's route. Both must give the same answer, byte for byte apart from the times.
describe('wire: the REST fast path answers as the framework route does', () => {
  let server: TestServer;
  let botId: number;
  before(async () => {
    server = await startTestServer();
    botId = (
      await server.call('imbot.register', {
        CODE: 'fast',
        CLIENT_ID: 'fast',
        EVENT_HANDLER: 'http://127.0.0.1:9/h',
        PROPERTIES: { NAME: 'Fast' },
      })
    ).body.result;
  });
  after(() => server.close());

  const JSON_TYPE = { 'content-type': 'application/json' };
  const FORM_TYPE = { 'content-type': 'application/x-www-form-urlencoded' };
  const cases: [string, string, Record<string, string>, () => string][] = [
    [
      'JSON success',
      'imbot.chat.sendTyping',
      JSON_TYPE,
      () => JSON.stringify({ BOT_ID: botId, DIALOG_ID: '1', CLIENT_ID: 'fast' }),
    ],
    ['form to .json', 'imbot.chat.sendTyping.json', FORM_TYPE, () => `BOT_ID=${botId}&DIALOG_ID=1&CLIENT_ID=fast`],
    [
      '.xml',
      'imbot.chat.sendTyping.xml',
      JSON_TYPE,
      () => JSON.stringify({ BOT_ID: botId, DIALOG_ID: '1', CLIENT_ID: 'fast' }),
    ],
    [
      'a method error',
      'imbot.chat.sendTyping',
      JSON_TYPE,
      () => JSON.stringify({ BOT_ID: 999999, DIALOG_ID: '1', CLIENT_ID: 'fast' }),
    ],
    ['an unknown method', 'no.such.method', JSON_TYPE, () => '{}'],
    ['invalid JSON', 'server.time', JSON_TYPE, () => '{"a":'],
    ['invalid JSON to .xml (answered in JSON)', 'server.time.xml', JSON_TYPE, () => '{"a":'],
    ['an empty body', 'server.time', JSON_TYPE, () => ''],
  ];
  for (const [name, method, headers, body] of cases) {
    it(name, async () => {
      const fast = await send(`${server.webhook}${method}`, 'POST', headers, body());
      const framework = await send(`${server.webhook}${method}`, 'POST', headers, body(), true);
      assert.deepEqual(comparable(fast), comparable(framework));
      assert.equal(fast.headers['content-length'], String(Buffer.byteLength(fast.body)));
    });
  }

  it('GET with the params in the query, and a bad webhook token', async () => {
    const query = `imbot.chat.sendTyping?BOT_ID=${botId}&DIALOG_ID=1&CLIENT_ID=fast`;
    const get = await send(`${server.webhook}${query}`, 'GET', {});
    const framework = await send(`${server.webhook}${query}`, 'POST', {}, '', true);
    assert.deepEqual(comparable(get), comparable(framework));
    assert.equal(JSON.parse(get.body).result, true);
    const refused = await send(`${server.url}/rest/1/wrong/server.time`, 'GET', {});
    const refusedFramework = await send(`${server.url}/rest/1/wrong/server.time`, 'POST', {}, '', true);
    assert.deepEqual(comparable(refused), comparable(refusedFramework));
    assert.equal(refused.status, 401);
  });

  it('leaves other routes under /rest/ and other shapes to the framework', async () => {
    const download = await send(`${server.url}/rest/download.json?token=nothing`, 'GET', {});
    assert.notEqual(JSON.parse(download.body).error, 'ERROR_METHOD_NOT_FOUND', 'the file route answered, not REST');
    const multipart = await send(
      `${server.webhook}server.time`,
      'POST',
      {
        'content-type': 'multipart/form-data; boundary=x',
      },
      '--x--\r\n',
    );
    assert.equal(multipart.status, 200);
    const put = await send(`${server.webhook}server.time`, 'PUT', JSON_TYPE, '{}');
    assert.equal(put.status, 200);
  });
});
