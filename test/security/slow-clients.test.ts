import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../src/config/config.ts';
import { startTestServer, type TestServer } from '../helpers/harness.ts';

/** Opens a raw socket, writes `chunks`, and resolves with what the server answered once it closes the socket. */
function heldOpen(url: string, chunks: string[]): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    let answer = '';
    const socket = net.connect(Number(port), hostname, () => {
      for (const chunk of chunks) socket.write(chunk);
    });
    socket.setEncoding('utf8');
    socket.on('data', (data) => {
      answer += data;
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(answer));
  });
}

// issue 11, defect 10: slow-header and slow-body sockets were held for as long as the client liked.
describe('slow clients are cut off', () => {
  let server: TestServer;
  before(async () => {
    const timeouts = loadConfig({
      B24_HEADERS_TIMEOUT: '0.3',
      B24_REQUEST_TIMEOUT: '0.6',
      B24_IDLE_TIMEOUT: '2',
    }).timeouts;
    server = await startTestServer({ config: { timeouts } });
  });
  after(() => server.close());

  const TIMED_OUT = '{"error":"REQUEST_TIMEOUT","error_description":"The request was not received in time"}';

  it('closes a socket that never finishes its headers, with a 408 in the envelope', { timeout: 20_000 }, async () => {
    const answer = await heldOpen(server.url, ['POST /rest/1/testtoken/profile HTTP/1.1\r\n', 'Host: x\r\n']);
    assert.match(answer, /^HTTP\/1\.1 408 /);
    assert.ok(answer.endsWith(`\r\n\r\n${TIMED_OUT}`), answer);
  });

  it('closes a socket that sends nothing', { timeout: 20_000 }, async () => {
    assert.match(await heldOpen(server.url, []), /^HTTP\/1\.1 408 /);
  });

  it('closes a socket whose body never arrives in full (408)', { timeout: 20_000 }, async () => {
    const head = 'POST /rest/1/testtoken/profile HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n';
    const answer = await heldOpen(server.url, [`${head}Content-Length: 100\r\n\r\n`, '{']);
    assert.match(answer, /^HTTP\/1\.1 408 /);
    assert.ok(answer.endsWith(TIMED_OUT), answer);
  });

  it('closes an idle keep-alive connection after its request was answered', { timeout: 20_000 }, async () => {
    const request = 'GET /rest/1/testtoken/profile HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n';
    const answer = await heldOpen(server.url, [request]);
    assert.match(answer, /^HTTP\/1\.1 200/);
  });

  it('config: refuses a headers timeout above the request timeout and non-positive values', () => {
    assert.throws(() => loadConfig({ B24_HEADERS_TIMEOUT: '30', B24_REQUEST_TIMEOUT: '10' }), /must not exceed/);
    assert.throws(() => loadConfig({ B24_IDLE_TIMEOUT: '0' }), /positive/);
    assert.deepEqual(loadConfig({}).timeouts, { headersMs: 10_000, requestMs: 120_000, idleMs: 60_000 });
  });
});
