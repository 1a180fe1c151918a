import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { pullFeature } from '../../src/realtime/pull-feature.ts';
import { eventually } from '../helpers/handler.ts';
import { startTestServer, type TestServer } from '../helpers/harness.ts';
import { appToken, pullConfig, TestSocket } from '../helpers/pull.ts';

const FRAMED = /^#!NGINXNMS!#(.*)#!NGINXNME!#$/s;

describe('Push & Pull, the classic CHANNEL_ID protocol and long polling', () => {
  let server: TestServer;
  let token: string;
  let config: any;
  let own: string;
  let shared: string;

  const event = (params: Record<string, unknown>) =>
    server.call('pull.application.event.add', { ...params, auth: token }, `${server.url}/rest/`);
  const classicUrl = (query: string) => `${config.server.websocket}?CHANNEL_ID=${own}%2F${shared}${query}`;
  const poll = (query: string, signal?: AbortSignal) => fetch(`${config.server.long_polling}?${query}`, { signal });

  before(async () => {
    server = await startTestServer({ features: [pullFeature({ longPollTimeoutMs: 300 })] });
    ({ token } = await appToken(server, 1));
    config = await pullConfig(server, token);
    own = config.channels.private.id;
    shared = config.channels.shared.id;
  });
  after(() => server.close());

  it('format=json: a JSON array of the documented message object', async () => {
    const socket = await TestSocket.open(classicUrl('&format=json'));
    try {
      const res = await event({ COMMAND: 'grid_updated', PARAMS: { grid_id: 15 }, USER_ID: 1 });
      assert.equal(res.body.result, true);
      const [message] = JSON.parse(await socket.next());
      assert.equal(typeof message.id, 'number');
      assert.match(message.mid, /^[0-9a-f]{32}$/);
      assert.equal(message.channel, own);
      assert.equal(message.tag, String(message.id));
      assert.match(message.time, /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
      assert.equal(message.text.module_id, 'application');
      assert.equal(message.text.command, 'grid_updated');
      assert.deepEqual(message.text.params, { grid_id: 15 });
      assert.equal(message.text.extra.revision_web, 19);
      assert.deepEqual(Object.keys(message.extra), [
        'server_time',
        'server_time_unix',
        'server_time_ago',
        'server_name',
        'revision',
        'revisionMobile',
        'channel',
      ]);
      assert.equal(message.extra.channel, own);
      assert.equal(message.extra.revision, 19);
      assert.equal(message.extra.server_time_ago, 0);
    } finally {
      socket.close();
    }
  });

  it('without format: #!NGINXNMS!# framed text; events without USER_ID come on the shared channel', async () => {
    const socket = await TestSocket.open(classicUrl(''));
    try {
      await event({ COMMAND: 'to_everyone', MODULE_ID: 'my_app.grid' });
      const match = FRAMED.exec(await socket.next());
      assert.ok(match);
      const message = JSON.parse(match[1]);
      assert.equal(message.channel, shared);
      assert.equal(message.extra.channel, shared);
      assert.equal(message.text.module_id, 'my_app.grid');
      assert.deepEqual(message.text.params, {});
    } finally {
      socket.close();
    }
  });

  it('a reconnect with `mid` gets what it missed on both channels, oldest first, in one frame', async () => {
    let socket = await TestSocket.open(classicUrl('&format=json'));
    await event({ COMMAND: 'first', USER_ID: 1 });
    const [seen] = JSON.parse(await socket.next());
    socket.close();
    await socket.closedWith();
    await event({ COMMAND: 'second', USER_ID: 1 });
    await event({ COMMAND: 'third' });
    socket = await TestSocket.open(classicUrl(`&format=json&mid=${seen.mid}`));
    try {
      const missed = JSON.parse(await socket.next());
      assert.deepEqual(
        missed.map((m: any) => [m.text.command, m.channel]),
        [
          ['second', own],
          ['third', shared],
        ],
      );
    } finally {
      socket.close();
    }
  });

  it('an unknown channel id is refused with close code 4010', async () => {
    const socket = await TestSocket.open(`${config.server.websocket}?CHANNEL_ID=${'0'.repeat(32)}&format=json`);
    assert.equal((await socket.closedWith()).code, 4010);
  });

  it('long polling: 304 after the hold when idle, with the headers the SDK reads', async () => {
    const started = Date.now();
    const res = await poll(`CHANNEL_ID=${own}/${shared}&format=json`);
    assert.equal(res.status, 304);
    assert.ok(Date.now() - started >= 250, 'held until the timeout');
    assert.equal(res.headers.get('expires'), 'Thu, 01 Jan 1973 11:11:01 GMT');
    assert.match(res.headers.get('last-message-id') ?? '', /^[0-9a-f]{32}$/);
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
  });

  it('long polling: a held request is answered by the next message', async () => {
    const pending = poll(`CHANNEL_ID=${own}/${shared}&format=json`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await event({ COMMAND: 'wake_up', USER_ID: 1 });
    const res = await pending;
    assert.equal(res.status, 200);
    const [message] = await res.json();
    assert.equal(message.text.command, 'wake_up');
    // The next poll resumes after it, so nothing is lost between requests.
    await event({ COMMAND: 'in_between', USER_ID: 1 });
    const next = await poll(`CHANNEL_ID=${own}/${shared}&format=json&mid=${message.mid}`);
    assert.equal(next.status, 200);
    assert.deepEqual(
      (await next.json()).map((m: any) => m.text.command),
      ['in_between'],
    );
  });

  it('long polling: a request the client abandons is let go', async () => {
    const pull = server.app.services.extensions.pullServer!;
    const before = pull.stats().listeners;
    const abort = new AbortController();
    const pending = poll(`CHANNEL_ID=${own}&format=json`, abort.signal).catch((error) => error.name);
    // Waits for conditions, not for time: a busy machine may take long to attach or let go.
    await eventually(() => pull.stats().listeners === before + 1);
    abort.abort();
    assert.equal(await pending, 'AbortError');
    await eventually(() => pull.stats().listeners === before);
  });

  it('long polling the v5 way (token, jsonRpc): a JSON-RPC batch; `mack:` acknowledgements go to /pub/', async () => {
    const pending = poll(`token=${config.jwt}&jsonRpc=true&revision=19`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await event({ COMMAND: 'rpc_poll', USER_ID: 1 });
    const res = await pending;
    const [rpc] = await res.json();
    assert.equal(rpc.jsonrpc, '2.0');
    assert.equal(rpc.method, 'incoming.message');
    assert.equal(rpc.params.body.command, 'rpc_poll');
    // b24jssdk getPublicationPath: the publish URL with CHANNEL_ID, body `mack:<mid>` as text.
    const ack = await fetch(`${config.server.publish}?CHANNEL_ID=${own}/${shared}`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain;charset=UTF-8' },
      body: `mack:${rpc.params.mid}`,
    });
    assert.equal(ack.status, 200);
    const pull = server.app.services.extensions.pullServer!;
    assert.equal(pull.history.acked(own), rpc.params.mid);
  });

  it('long polling and publishing refuse what they cannot serve, with clear errors', async () => {
    const none = await poll('format=json');
    assert.equal(none.status, 400);
    assert.equal((await none.json()).error, 'CHANNEL_ID_EMPTY');
    const wrong = await poll(`CHANNEL_ID=${'f'.repeat(32)}`);
    assert.equal(wrong.status, 403);
    assert.equal((await wrong.json()).error, 'WRONG_CHANNEL_ID');
    const publish = await fetch(`${config.server.publish}?CHANNEL_ID=${own}`, { method: 'POST', body: '{"x":1}' });
    assert.equal(publish.status, 400);
    assert.equal((await publish.json()).error, 'PUBLISH_DISABLED');
  });
});
