import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setImmediate as turn } from 'node:timers/promises';
import { pullFeature } from '../../src/realtime/pull-feature.ts';
import { startTestServer, type TestServer } from '../helpers/harness.ts';
import { appToken, pullConfig, TestSocket, v5Url } from '../helpers/pull.ts';

describe('a slow subscriber', () => {
  let server: TestServer;

  before(async () => {
    server = await startTestServer({
      features: [pullFeature({ maxBufferedBytes: 64 * 1024, slowCloseGraceMs: 5000, historySize: 2 })],
    });
  });
  after(() => server.close());

  it('is closed with 4008 once its unsent buffer passes the bound; a reader on the same fan-out is not', async () => {
    const config = await pullConfig(server, (await appToken(server, 1)).token);
    const slow = await TestSocket.open(v5Url(config));
    const reader = await TestSocket.open(v5Url(config));
    (slow.ws as any)._socket.pause(); // stops reading: the kernel buffers fill, then the server's
    const pull = server.app.services.extensions.pullServer!;
    const big = 'x'.repeat(256 * 1024);
    let sent = 0;
    while (pull.stats().listeners === 2 && sent < 400) {
      server.app.services.hub.publish({ users: [1] }, { module_id: 'application', command: 'big', params: { big } });
      sent++;
      await turn();
    }
    assert.equal(pull.stats().listeners, 1, `still attached after ${sent} messages of 256 KiB`);
    for (let i = 0; i < sent; i++) await reader.message(5000);
    assert.equal(reader.closed, undefined);
    reader.frames.length = 0;

    (slow.ws as any)._socket.resume(); // it reads its backlog, then the close frame
    const closed = await slow.closedWith(5000);
    assert.equal(closed.code, 4008);
    assert.match(closed.reason, /slow consumer/);
    reader.close();
  });
});
