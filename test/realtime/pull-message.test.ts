import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as ws from 'ws';
import { frame, PullMessage, single, textFrame } from '../../src/realtime/pull-message.ts';

const command = {
  module_id: 'im',
  command: 'startWriting',
  params: { dialogId: 'chat1', tricky: '\u0000channel\u0000 "quotes"' },
  extra: { im_revision: 7 },
};

describe('PullMessage', () => {
  const message = new PullMessage(
    42,
    `${'a'.repeat(16)}${'0'.repeat(14)}2a`,
    command,
    Date.UTC(2026, 0, 1),
    'b24.local',
  );

  it('cuts the classic envelope once and joins it per channel, as a fresh serialisation would', () => {
    for (const channel of ['c'.repeat(32), 'd'.repeat(32)]) {
      const parsed = JSON.parse(message.envelope(channel));
      assert.equal(parsed.channel, channel);
      assert.equal(parsed.extra.channel, channel);
      assert.deepEqual(parsed.text.params, command.params, 'user content is left alone');
      // A replay (age 1 s) is serialised whole, without the cut: apart from the age they must agree.
      const whole = JSON.parse(message.envelope(channel, 1));
      whole.text.extra.server_time_ago = 0;
      whole.extra.server_time_ago = 0;
      assert.deepEqual(parsed, whole);
    }
  });

  it('keeps the messenger extra, and the server fields the SDK reads', () => {
    const body = JSON.parse(message.rpc()).params.body;
    assert.equal(body.extra.im_revision, 7);
    assert.equal(body.extra.revision_web, 19);
    assert.equal(body.extra.server_time_unix, Date.UTC(2026, 0, 1) / 1000);
    assert.equal(JSON.parse(message.envelope('c'.repeat(32))).time, 'Thu, 01 Jan 2026 00:00:00 GMT');
  });

  it('serialises the JSON-RPC frame once for every subscriber, and frames it for WebSockets once', () => {
    assert.equal(single(message, 'rpc', 'x'), single(message, 'rpc', 'y'));
    assert.equal(message.rpcWebSocketFrame(), message.rpcWebSocketFrame());
  });

  it('makes WebSocket text frames that ws reads back, on each side of the length encodings', () => {
    for (const size of [0, 125, 126, 65_535, 65_536, 70_000]) {
      const payload = Buffer.from('é'.repeat(size >> 1) + 'x'.repeat(size & 1));
      // ws's own parser, as a client: unmasked frames from a server.
      const receiver = new (ws as any).Receiver({ isServer: false });
      const got: [Buffer, boolean][] = [];
      receiver.on('message', (data: Buffer, isBinary: boolean) => got.push([data, isBinary]));
      receiver.write(textFrame(payload));
      assert.equal(got.length, 1, `size ${size}`);
      assert.equal(got[0][1], false, 'a text frame');
      assert.ok(got[0][0].equals(payload), `size ${size}`);
    }
  });

  it('frames each format as its clients parse it', () => {
    const channel = 'c'.repeat(32);
    assert.match(single(message, 'framed', channel) as string, /^#!NGINXNMS!#\{.*\}#!NGINXNME!#$/s);
    assert.equal(JSON.parse(single(message, 'json', channel) as string)[0].mid, message.mid);
    const replay = JSON.parse(frame([[message, channel]], 'rpc', Date.UTC(2026, 0, 1) + 5000));
    assert.equal(replay[0].params.body.extra.server_time_ago, 5, 'a replay says how old the message is');
  });
});
