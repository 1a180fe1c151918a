import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pullFeature } from '../../src/realtime/pull-feature.ts';
import { eventually } from '../helpers/handler.ts';
import { startTestServer } from '../helpers/harness.ts';
import { appToken, pullConfig, TestSocket, v5Url } from '../helpers/pull.ts';

describe('Push & Pull on shutdown', () => {
  it('answers held long polls and closes sockets with 1001 at once', async () => {
    const server = await startTestServer({ features: [pullFeature()] }); // the 40 s hold
    const config = await pullConfig(server, (await appToken(server, 1)).token);
    const socket = await TestSocket.open(v5Url(config));
    const poll = fetch(`${config.server.long_polling}?token=${config.jwt}&jsonRpc=true`);
    const pull = server.app.services.extensions.pullServer;
    assert.ok(pull);
    // The socket and the held poll are both listening before the server goes.
    await eventually(() => pull['byUser'].get(1)?.length === 2);
    const started = Date.now();
    await server.close();
    // Far below the 40 s hold, however busy the machine.
    assert.ok(Date.now() - started < 30_000, 'nothing held the server open');
    assert.equal((await poll).status, 304);
    assert.equal((await socket.closedWith()).code, 1001);
  });
});
