import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { Cluster, type Node } from '../helpers/cluster.ts';
import { eventually } from '../helpers/handler.ts';
import { TestSocket, v5Url } from '../helpers/pull.ts';

/** The command of a JSON-RPC frame (batches: the first), or undefined for pings. */
function commandOf(frame: string): { command: string; params: any; mid: string } | undefined {
  if (frame === 'ping') return undefined;
  const parsed = JSON.parse(frame);
  const rpc = Array.isArray(parsed) ? parsed[0] : parsed;
  return { command: rpc.params.body.command, params: rpc.params.body.params, mid: rpc.params.mid };
}

/** Three nodes on one PostgreSQL and one Redis: what one node does, the others see. */
describe('several nodes', () => {
  let cluster: Cluster;
  let a: Node;
  let b: Node;
  let c: Node;
  let redis: Redis;
  let botId: number;

  before(async () => {
    cluster = await Cluster.start(3, { B24_LIMITS: 'standard', B24_TYPING_TTL: '1' });
    [a, b, c] = cluster.nodes;
    redis = new Redis(cluster.redis.url);
    const reg = await a.rest('imbot.register', {
      CODE: 'cluster_bot',
      CLIENT_ID: 'cluster',
      EVENT_HANDLER: 'http://127.0.0.1:9/handler',
      PROPERTIES: { NAME: 'Cluster' },
    });
    botId = reg.body.result;
    assert.equal(typeof botId, 'number', JSON.stringify(reg.body));
  });
  after(async () => {
    redis?.disconnect();
    await cluster?.close();
  });

  /** User 1's socket on `node`, through the config that node hands out. */
  async function listenOn(node: Node, mid?: string): Promise<TestSocket> {
    const config = await node.rest('pull.config.get');
    assert.equal(config.status, 200, JSON.stringify(config.body));
    return TestSocket.open(v5Url(config.body.result, mid));
  }

  it('typing on node A reaches a socket on node B; its expiry ends it once, from one node', async () => {
    const socket = await listenOn(b);
    try {
      const typed = await a.rest('imbot.chat.sendTyping', { BOT_ID: botId, CLIENT_ID: 'cluster', DIALOG_ID: '1' });
      assert.deepEqual(typed.body, { ...typed.body, result: true });
      const start = commandOf(await socket.next((f) => commandOf(f)?.command === 'startWriting', 10_000))!;
      assert.equal(start.params.userId, botId);
      assert.equal(start.params.dialogId, String(botId));
      // B24_TYPING_TTL=1: one of the three sweeping nodes takes the state out of Redis and says so.
      await socket.next((f) => commandOf(f)?.command === 'stopWriting', 10_000);
      await eventually(async () => (await redis.zcard('b24:typing:due')) === 0);
      // Nothing is left that a node could end again: a marker sent now comes after any stopWriting there is.
      await c.rest('imbot.message.add', { BOT_ID: botId, CLIENT_ID: 'cluster', DIALOG_ID: '1', MESSAGE: 'marker' });
      await socket.next((f) => commandOf(f)?.params?.message?.text === 'marker', 10_000);
      const before = socket.frames.map(commandOf).filter((m) => m?.command === 'stopWriting');
      assert.deepEqual(before, [], 'stopWriting was sent once');
    } finally {
      socket.close();
    }
  });

  it('messages from every node reach the socket in the order they were sent', async () => {
    const socket = await listenOn(c);
    try {
      const texts = ['one', 'two', 'three', 'four', 'five', 'six'];
      for (const [i, text] of texts.entries()) {
        const node = cluster.nodes[i % 3];
        const sent = await node.rest('imbot.message.add', {
          BOT_ID: botId,
          CLIENT_ID: 'cluster',
          DIALOG_ID: '1',
          MESSAGE: text,
        });
        assert.equal(sent.status, 200, JSON.stringify(sent.body));
      }
      const seen: string[] = [];
      while (seen.length < texts.length) {
        const message = commandOf(await socket.next((f) => commandOf(f)?.command === 'message', 10_000))!;
        seen.push(message.params.message.text);
      }
      assert.deepEqual(seen, texts);
    } finally {
      socket.close();
    }
  });

  it('a client that reconnects to another node resumes by mid from the shared history', async () => {
    const first = await listenOn(a);
    await b.rest('imbot.message.add', { BOT_ID: botId, CLIENT_ID: 'cluster', DIALOG_ID: '1', MESSAGE: 'seen' });
    const seen = commandOf(await first.next((f) => commandOf(f)?.params?.message?.text === 'seen', 10_000))!;
    first.close();
    await c.rest('imbot.message.add', { BOT_ID: botId, CLIENT_ID: 'cluster', DIALOG_ID: '1', MESSAGE: 'missed' });
    const again = await listenOn(b, seen.mid);
    try {
      const missed = commandOf(await again.next((f) => commandOf(f)?.params?.message?.text === 'missed', 10_000))!;
      assert.ok(missed.mid > seen.mid);
      assert.equal(
        again.frames.map(commandOf).find((m) => m?.params?.message?.text === 'seen'),
        undefined,
        'nothing before the mid comes again',
      );
    } finally {
      again.close();
    }
  });

  it('a webhook deleted on node A is refused on node B at once', async () => {
    const made = await a.admin('POST', 'webhooks', { user_id: 1, token: 'shortlived', title: 'short' });
    assert.equal(made.status, 200, JSON.stringify(made.body));
    const base = (node: Node) => `${node.url}/rest/1/shortlived/`;
    // Node B has read (and cached) it.
    assert.equal((await b.rest('user.current', {}, base(b))).status, 200);
    const deleted = await a.admin('DELETE', `webhooks/${made.body.result.id}`);
    assert.equal(deleted.status, 200, JSON.stringify(deleted.body));
    const refused = await b.rest('user.current', {}, base(b));
    assert.equal(refused.status, 401);
    assert.equal(refused.body.error, 'NO_AUTH_FOUND');
  });

  it('the leaky bucket is one for all nodes: a burst spread over them is refused past 50', async () => {
    const made = await a.admin('POST', 'webhooks', { user_id: 1, token: 'bursty', title: 'burst' });
    assert.equal(made.status, 200, JSON.stringify(made.body));
    const started = performance.now();
    const answers = await Promise.all(
      Array.from({ length: 90 }, (_, i) => {
        const node = cluster.nodes[i % 3];
        return node.rest('user.current', {}, `${node.url}/rest/1/bursty/`);
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const passed = answers.filter((r) => r.status === 200).length;
    const refused = answers.filter((r) => r.body.error === 'QUERY_LIMIT_EXCEEDED');
    assert.equal(passed + refused.length, 90, JSON.stringify(answers.find((r) => r.status >= 500)?.body));
    // 50 at once, then 2 a second drain: three buckets of 50 would have let all 90 through.
    assert.ok(passed <= 50 + Math.ceil(2 * seconds), `${passed} passed in ${seconds.toFixed(2)} s`);
    assert.ok(refused.length > 0);
    assert.equal(refused[0].status, 503);
  });
});
