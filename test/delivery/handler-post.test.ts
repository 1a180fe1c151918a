import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { OPEN_POLICY } from '../../src/config/handler-allow.ts';
import { HandlerClient } from '../../src/delivery/handler-post.ts';

/**
 * A kept-alive socket the handler closes just as the client reuses it (the handler's idle timeout firing on a busy
 * machine) fails the POST before any answer: it is sent again on another socket, not lost. A socket that was new
 * is not retried: that handler is down or broken, and the failure is the attempt's outcome.
 */
describe('handler POSTs over kept-alive sockets', () => {
  let server: Server;
  let url: string;
  /** Requests each socket has carried; a socket in `drop` is destroyed on its next request, unanswered. */
  const served = new Map<Socket, number>();
  const drop = new Set<Socket>();
  let dropNew = false;
  let reset = 0;
  const client = new HandlerClient(OPEN_POLICY);

  before(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const socket = req.socket;
        const n = (served.get(socket) ?? 0) + 1;
        served.set(socket, n);
        if (drop.has(socket) || (dropNew && n === 1)) {
          reset++;
          socket.destroy();
          return;
        }
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  after(async () => {
    client.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('a reused socket reset before the answer: the POST goes again on another socket', async () => {
    assert.equal((await client.post(url, {}, 'a=1', 10_000)).status, 200);
    assert.equal(served.size, 1);
    for (const socket of served.keys()) drop.add(socket); // the kept-alive socket the next POST reuses
    assert.equal((await client.post(url, {}, 'a=2', 10_000)).status, 200);
    assert.equal(reset, 1, 'the reused socket was reset');
    assert.equal(served.size, 2, 'the POST was answered on a second socket');
  });

  it('a new socket reset before the answer fails the attempt', async () => {
    client.close(); // no kept-alive socket left: the next POST connects afresh
    reset = 0;
    dropNew = true;
    await assert.rejects(client.post(url, {}, 'a=3', 10_000), { code: 'ECONNRESET' });
    assert.equal(reset, 1, 'sent once');
  });
});
