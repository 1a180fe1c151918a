import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../../src/clock.ts';
import { pullFeature } from '../../src/realtime/pull-feature.ts';
import { startTestServer, type TestServer } from '../helpers/harness.ts';
import { appToken, pullConfig, TestSocket, v5Url } from '../helpers/pull.ts';

describe('Push & Pull over WebSocket, the v5 (JSON-RPC) way', () => {
  let server: TestServer;
  let userId: number;
  let botId: number;
  let chatId: number;
  let foreignChatId: number;
  let config: any;
  let socket: TestSocket;

  before(async () => {
    server = await startTestServer({ clock: new ManualClock(), features: [pullFeature({ pingIntervalMs: 200 })] });
    const { users, chats } = server.app.domain;
    userId = (await users.create({ name: 'Ann', last_name: 'Reader' })).id;
    const outsider = (await users.create({ name: 'Olga', last_name: 'Outsider' })).id;
    const reg = await server.call('imbot.register', {
      CODE: 'typer',
      EVENT_HANDLER: 'http://127.0.0.1:9/h',
      PROPERTIES: { NAME: 'Typing', LAST_NAME: 'Bot' },
      CLIENT_ID: 'app1',
    });
    botId = reg.body.result;
    chatId = (await server.call('imbot.chat.add', { BOT_ID: botId, USERS: [userId], CLIENT_ID: 'app1' })).body.result;
    foreignChatId = (await server.call('imbot.chat.add', { BOT_ID: botId, USERS: [outsider], CLIENT_ID: 'app1' })).body
      .result;
    assert.ok(chats);
    config = await pullConfig(server, (await appToken(server, userId)).token);
    socket = await TestSocket.open(v5Url(config));
  });
  after(async () => {
    socket.close();
    await server.close();
  });

  it("receives the bot's startWriting for its dialog, handed to the socket before sendTyping answers", async () => {
    // No wall-clock bound here (bench P6 measures same-node typing latency): the fan-out to a handful of sockets
    // runs inside the call, so nothing is left queued behind a timer when the answer comes, and each call brings
    // exactly its own message, in order.
    const pull = server.app.services.extensions.pullServer!;
    const mids: string[] = [];
    let message: any;
    for (let i = 0; i < 5; i++) {
      const res = await server.call('imbot.chat.sendTyping', {
        BOT_ID: botId,
        DIALOG_ID: `chat${chatId}`,
        CLIENT_ID: 'app1',
      });
      assert.equal(res.body.result, true);
      assert.equal(pull.stats().pendingJobs, 0);
      const received = await socket.message();
      mids.push(received.mid);
      message ??= received;
    }
    assert.deepEqual([...mids].sort(), mids);
    assert.equal(new Set(mids).size, 5);
    assert.match(message.mid, /^[0-9a-f]{32}$/);
    assert.deepEqual(message.sender, { type: 2 });
    assert.equal(message.body.module_id, 'im');
    assert.equal(message.body.command, 'startWriting');
    assert.deepEqual(message.body.params, { dialogId: `chat${chatId}`, userId: botId, userName: 'Typing Bot' });
    const { extra } = message.body;
    assert.equal(extra.revision_web, 19);
    assert.equal(typeof extra.server_time, 'string');
    assert.equal(typeof extra.server_time_unix, 'number');
    assert.equal(extra.server_time_ago, 0);
    socket.ws.send(`mack:${message.mid}`);
    await waitFor(() => pull.history.acked(config.channels.private.id) === message.mid);
  });

  it('receives nothing for a dialog it is not in, nor for its own typing', async () => {
    await server.call('imbot.chat.sendTyping', { BOT_ID: botId, DIALOG_ID: `chat${foreignChatId}`, CLIENT_ID: 'app1' });
    await server.app.domain.typing.start({
      place: { kind: 'chat', chatId },
      userId,
      userName: 'Ann Reader',
      ttlMs: 15_000,
      participants: [userId, botId],
    });
    // A marker sent after both: if either had reached the socket, it would arrive before the marker.
    await server.call('imbot.chat.sendTyping', { BOT_ID: botId, DIALOG_ID: String(userId), CLIENT_ID: 'app1' });
    const message = await socket.message();
    assert.deepEqual(message.body.params, { dialogId: String(botId), userId: botId, userName: 'Typing Bot' });
  });

  it('every tab of the user gets the command', async () => {
    const second = await TestSocket.open(v5Url(config));
    try {
      await server.call('imbot.chat.sendTyping', { BOT_ID: botId, DIALOG_ID: `chat${chatId}`, CLIENT_ID: 'app1' });
      const [a, b] = await Promise.all([socket.message(), second.message()]);
      assert.equal(a.mid, b.mid);
    } finally {
      second.close();
    }
  });

  it('pings with a JSON-RPC `ping` text and keeps a socket that answers `pong`', async () => {
    socket.frames.length = 0;
    await socket.next((f) => f === 'ping', 1000);
    socket.ws.send('pong');
    await socket.next((f) => f === 'ping', 1000);
    socket.ws.send('pong');
    await socket.next((f) => f === 'ping', 1000);
    assert.equal(socket.closed, undefined);
  });

  it('answers JSON-RPC requests: ping, and method-not-found for what it does not offer', async () => {
    socket.ws.send(JSON.stringify({ jsonrpc: '2.0', method: 'ping', params: {}, id: 7 }));
    assert.deepEqual(JSON.parse(await socket.next((f) => f.includes('"id":7'))), {
      jsonrpc: '2.0',
      id: 7,
      result: 'pong',
    });
    socket.ws.send(JSON.stringify({ jsonrpc: '2.0', method: 'publish', params: {}, id: 8 }));
    assert.equal(JSON.parse(await socket.next((f) => f.includes('"id":8'))).error.code, -32601);
    socket.ws.send('{not json');
    assert.equal(JSON.parse(await socket.next((f) => f.includes('-32700'))).id, null);
  });

  it('cuts a socket that stops answering pings', async () => {
    const silent = await TestSocket.open(v5Url(config));
    // `ws` answers protocol pings by itself; pausing the socket keeps any answer from being read.
    (silent.ws as any)._socket.pause();
    const pull = server.app.services.extensions.pullServer!;
    const before = pull.stats().listeners;
    await waitFor(() => pull.stats().listeners < before, 2000);
    silent.ws.terminate();
  });

  it('refuses a bad token with close code 4010 (the SDK then fetches a new config)', async () => {
    const forged = `${config.jwt.slice(0, -2)}xx`;
    const bad = await TestSocket.open(v5Url({ ...config, jwt: forged }));
    assert.equal((await bad.closedWith()).code, 4010);
    const none = await TestSocket.open(config.server.websocket);
    assert.equal((await none.closedWith()).code, 4010);
  });

  it('resumes after a reconnect with `mid`: missed messages come first, as a JSON-RPC batch', async () => {
    await server.call('imbot.chat.sendTyping', { BOT_ID: botId, DIALOG_ID: `chat${chatId}`, CLIENT_ID: 'app1' });
    const seen = await socket.message();
    socket.close();
    await socket.closedWith();
    await server.call('imbot.chat.sendTyping', { BOT_ID: botId, DIALOG_ID: String(userId), CLIENT_ID: 'app1' });
    await server.call('imbot.chat.sendTyping', { BOT_ID: botId, DIALOG_ID: `chat${chatId}`, CLIENT_ID: 'app1' });
    socket = await TestSocket.open(v5Url(config, seen.mid));
    const batch = JSON.parse(await socket.next((f) => f !== 'ping'));
    assert.ok(Array.isArray(batch));
    assert.deepEqual(
      batch.map((rpc: any) => rpc.params.body.params.dialogId),
      [String(botId), `chat${chatId}`],
    );
    assert.ok(batch.every((rpc: any) => rpc.jsonrpc === '2.0' && rpc.method === 'incoming.message'));
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 1000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
