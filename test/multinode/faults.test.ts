import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Cluster, type Node } from '../helpers/cluster.ts';
import { eventually, HandlerStub } from '../helpers/handler.ts';
import { startServerProcess } from '../helpers/processes.ts';
import { messageTexts, TestSocket, v5Url } from '../helpers/pull.ts';
import { freePort } from '../services/services.ts';

const midOf = (frame: string): string => {
  const parsed = JSON.parse(frame);
  return (Array.isArray(parsed) ? parsed[parsed.length - 1] : parsed).params.mid;
};

async function listenOn(node: Node, mid?: string): Promise<TestSocket> {
  const config = await node.rest('pull.config.get');
  assert.equal(config.status, 200, JSON.stringify(config.body));
  return TestSocket.open(v5Url(config.body.result, mid));
}

describe('faults of a cluster', () => {
  const handler = new HandlerStub();
  let cluster: Cluster;

  before(async () => {
    await handler.start();
    cluster = await Cluster.start(2, {
      B24_DELIVERY_TIMEOUT: '2',
      B24_DELIVERY_RETRY_MIN: '0.2',
      B24_DELIVERY_RETRY_MAX: '0.5',
    });
  });
  after(async () => {
    await cluster?.close();
    await handler.down();
  });

  it('REDIS_URL unreachable at start: a clear error naming it, a non-zero exit', async () => {
    const port = await freePort();
    const failed = await startServerProcess({
      DATABASE_URL: cluster.databaseUrl,
      REDIS_URL: `redis://:secretpw@127.0.0.1:${port}`,
    }).then(
      () => assert.fail('started without its Redis'),
      (error: Error) => error.message,
    );
    assert.match(failed, /server exited \(1\) before listening/);
    assert.match(failed, new RegExp(`REDIS_URL redis://:\\*\\*\\*@127\\.0\\.0\\.1:${port}/? is unreachable`));
    assert.doesNotMatch(failed, /secretpw/);
  });

  it('Redis lost while running: /readyz fails, REST answers 503 OVERLOAD_LIMIT, and the node recovers by itself', async () => {
    const [a] = cluster.nodes;
    assert.equal((await fetch(`${a.url}/readyz`)).status, 200);
    const restart = await cluster.killRedis();
    const ready = await eventually(async () => {
      const res = await fetch(`${a.url}/readyz`);
      return res.status === 503 ? ((await res.json()) as any) : null;
    });
    assert.equal(ready.status, 'fail');
    assert.notEqual(ready.checks.redis, 'ok');
    assert.equal(ready.checks.store, 'ok');
    const refused = await a.rest('user.current');
    assert.equal(refused.status, 503);
    assert.equal(refused.body.error, 'OVERLOAD_LIMIT');
    assert.equal((await fetch(`${a.url}/healthz`)).status, 200, 'alive all the same');

    await restart();
    await eventually(async () => (await fetch(`${a.url}/readyz`)).status === 200, 20_000);
    const served = await a.rest('user.current');
    assert.equal(served.status, 200, JSON.stringify(served.body));
    // The hub works again too: a typing reaches a socket (a new epoch, as Redis came back empty).
    const socket = await listenOn(a);
    try {
      const bot = await a.rest('imbot.register', {
        CODE: 'redis_back',
        CLIENT_ID: 'faults',
        EVENT_HANDLER: handler.url,
        PROPERTIES: { NAME: 'Back' },
      });
      await a.rest('imbot.message.add', {
        BOT_ID: bot.body.result,
        CLIENT_ID: 'faults',
        DIALOG_ID: '1',
        MESSAGE: 'hub is back',
      });
      await socket.next((f) => messageTexts(f).includes('hub is back'), 10_000);
    } finally {
      socket.close();
    }
  });

  it('SIGKILL of a node under load loses nothing: its events are delivered by the other, its clients resume there', async () => {
    const [a, b] = cluster.nodes;
    const reg = await b.rest('imbot.register', {
      CODE: 'kill_load',
      CLIENT_ID: 'faults',
      EVENT_HANDLER: handler.url,
      PROPERTIES: { NAME: 'Load' },
    });
    const botId = reg.body.result;
    assert.equal(typeof botId, 'number', JSON.stringify(reg.body));
    // The handler is slow: node A holds deliveries in flight (leased) when it dies.
    handler.delayMs = () => 300;
    const socket = await listenOn(a);
    const texts = Array.from({ length: 16 }, (_, i) => `load ${i + 1}`);
    const acknowledged: string[] = [];
    for (const text of texts.slice(0, 8)) {
      const sent = await a.rest('im.message.add', { DIALOG_ID: String(botId), MESSAGE: text });
      assert.equal(sent.status, 200, JSON.stringify(sent.body));
      acknowledged.push(text);
    }
    const heard = await eventually(() => {
      const got = socket.frames.filter((f) => messageTexts(f).length);
      return got.length >= 1 ? got : null;
    });
    const lastMid = midOf(heard[heard.length - 1]);
    const heardTexts = new Set(heard.flatMap(messageTexts));
    assert.equal(await a.process.stop('SIGKILL'), 'SIGKILL');
    cluster.nodes.splice(cluster.nodes.indexOf(a), 1);
    for (const text of texts.slice(8)) {
      const sent = await b.rest('im.message.add', { DIALOG_ID: String(botId), MESSAGE: text });
      assert.equal(sent.status, 200, JSON.stringify(sent.body));
      acknowledged.push(text);
    }
    // The client moves to node B with the last mid it saw and gets everything after it.
    const moved = await listenOn(b, lastMid);
    try {
      await eventually(() => {
        for (const f of moved.frames) for (const text of messageTexts(f)) heardTexts.add(text);
        return acknowledged.every((t) => heardTexts.has(t));
      }, 20_000);
    } finally {
      moved.close();
      socket.close();
    }
    // Every acknowledged message reaches the bot, those node A had leased included (after their lease).
    handler.delayMs = () => 0;
    const delivered = await eventually(() => {
      const got = new Set(
        handler.received.filter((r) => r.form.event === 'ONIMBOTMESSAGEADD').map((r) => r.form.data.PARAMS.MESSAGE),
      );
      return acknowledged.every((t) => got.has(t)) ? got : null;
    }, 60_000);
    assert.equal(delivered.size >= acknowledged.length, true);
  });

  it('SIGTERM: sockets are closed with 1001 so clients reconnect elsewhere, and the process exits 0', async () => {
    const node = await cluster.add();
    const socket = await listenOn(node);
    const code = await node.process.stop('SIGTERM');
    cluster.nodes.splice(cluster.nodes.indexOf(node), 1);
    assert.equal(code, 0);
    const closed = await socket.closedWith(10_000);
    assert.equal(closed.code, 1001);
  });
});
