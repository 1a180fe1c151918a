import WebSocket from 'ws';
import { type Service, startPostgres, startRedis } from '../../test/services/services.ts';
import { describeLoad, type LoadRequest, type LoadResult, load } from '../lib/load.ts';
import { type B24, rest, startB24 } from '../lib/processes.ts';
import type { Row, Scenario } from '../lib/scenario.ts';
import { ms, percentile } from '../lib/stats.ts';

const LATENCY_GOAL = 'cross-node p99 ≤ 10 ms';

/**
 * P6: several nodes on Debian's PostgreSQL and Redis (the topology of compose.yaml, without Docker). sendTyping
 * throughput with 1, 2 and 3 nodes — the load spread evenly, one load generator per node — against one embedded
 * node with the same total connections; then the delivery latency of a typing from the REST call to a WebSocket on
 * another node, against a WebSocket on the node that was called.
 */
export const p6Nodes: Scenario = {
  id: 'P6',
  title: 'Several nodes: sendTyping throughput and cross-node typing latency',
  async run({ seconds, connections, smoke }) {
    const samples = smoke ? 20 : 300;
    const services: Service[] = [];
    const nodes: B24[] = [];
    let single: B24 | undefined;
    try {
      single = await startB24();
      const base = await typingRequest(single);
      const baseline = await spread([base], connections, seconds);
      await single.destroy();
      single = undefined;

      const pg = await startPostgres();
      services.push(pg);
      const redis = await startRedis();
      services.push(redis);
      const databaseUrl = pg.url;
      const env = { DATABASE_URL: databaseUrl, REDIS_URL: redis.url };
      const rows: Row[] = [];
      const requests: LoadRequest[] = [];
      for (let count = 1; count <= 3; count++) {
        nodes.push(await startB24({ env }));
        // Every node gets the same request shape (the same bot and chat: the rows are shared).
        requests.push(count === 1 ? await typingRequest(nodes[0]) : retarget(requests[0], nodes[count - 1]));
        const result = await spread(requests, connections, seconds);
        rows.push({
          name: `sendTyping, ${count} node${count > 1 ? 's' : ''} on PostgreSQL + Redis`,
          figure: describeLoad(result),
          baseline: `one embedded node: ${describeLoad(baseline)}`,
          ratio: result.rps / baseline.rps,
          latencyRatio: result.p99 / Math.max(baseline.p99, 1),
        });
      }

      const [a, b] = nodes;
      const socket = await subscribe(b);
      try {
        const same = await typingLatency(b, requests[0], socket, samples);
        const cross = await typingLatency(a, requests[0], socket, samples);
        const crossP99 = percentile(cross, 99);
        rows.push({
          name: 'typing delivery, REST call on node A → WebSocket on node B (p50 / p99)',
          figure: `${ms(percentile(cross, 50))} / ${ms(crossP99)}`,
          baseline: `same node: ${ms(percentile(same, 50))} / ${ms(percentile(same, 99))}`,
          ratio: crossP99 / Math.max(percentile(same, 99), 0.001),
          goal: LATENCY_GOAL,
          met: crossP99 <= 10,
        });
      } finally {
        socket.close();
      }
      return {
        rows,
        notes: [
          `${connections} connections in total, ${seconds} s per run, split evenly over the nodes (one autocannon ` +
            'process per node). PostgreSQL and Redis are the Debian packages on loopback (test/services/). Every ' +
            'node and every load generator shares the same cores: on a machine with fewer cores than processes, ' +
            'more nodes cannot mean more throughput; the rows show what each Redis round trip per call costs ' +
            '(the shared leaky bucket is off, as in P1; the hub, typing state and cache check are on).',
          `Latency: ${samples} sendTyping calls one at a time, each timed from the call to its startWriting frame on a ` +
            'WebSocket of user 1 connected to node B, first called on node B, then on node A.',
        ],
      };
    } finally {
      await single?.destroy();
      for (const node of nodes) await node.destroy();
      for (const service of services.reverse()) await service.stop();
    }
  },
};

/** A bot in a chat with user 1, and the sendTyping request of that bot, against this node. */
async function typingRequest(node: B24): Promise<LoadRequest> {
  const botId = await rest(node.webhook, 'imbot.register', {
    CODE: 'p6',
    CLIENT_ID: 'bench',
    EVENT_HANDLER: 'http://127.0.0.1:9/h',
    PROPERTIES: { NAME: 'Typist' },
  });
  const chatId = await rest(node.webhook, 'imbot.chat.add', { BOT_ID: botId, USERS: [1], CLIENT_ID: 'bench' });
  return {
    url: `${node.webhook}imbot.chat.sendTyping`,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ BOT_ID: botId, DIALOG_ID: `chat${chatId}`, CLIENT_ID: 'bench' }),
  };
}

function retarget(request: LoadRequest, node: B24): LoadRequest {
  return { ...request, url: `${node.webhook}imbot.chat.sendTyping` };
}

/** One load generator per request (node), connections split evenly, run at once; totals and the worst p99. */
async function spread(requests: LoadRequest[], connections: number, seconds: number): Promise<LoadResult> {
  const share = Math.max(1, Math.round(connections / requests.length));
  const results = await Promise.all(requests.map((r) => load(r, share, seconds)));
  return {
    rps: results.reduce((n, r) => n + r.rps, 0),
    requests: results.reduce((n, r) => n + r.requests, 0),
    p50: Math.max(...results.map((r) => r.p50)),
    p99: Math.max(...results.map((r) => r.p99)),
    errors: results.reduce((n, r) => n + r.errors, 0),
    non2xx: results.reduce((n, r) => n + r.non2xx, 0),
  };
}

interface Listener {
  next(): Promise<number>;
  close(): void;
}

/** User 1's JSON-RPC WebSocket on this node; `next` resolves at the arrival of the next startWriting. */
async function subscribe(node: B24): Promise<Listener> {
  const config = await rest(node.webhook, 'pull.config.get');
  const params = new URLSearchParams({ token: config.jwt, jsonRpc: 'true', revision: '19' });
  const ws = new WebSocket(`${config.server.websocket}?${params}`);
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  let waiting: ((at: number) => void) | undefined;
  ws.on('message', (data) => {
    const at = performance.now();
    if (waiting && data.toString().includes('"startWriting"')) {
      const done = waiting;
      waiting = undefined;
      done(at);
    }
  });
  return {
    next: () => new Promise((resolve) => (waiting = resolve)),
    close: () => ws.close(),
  };
}

async function typingLatency(node: B24, request: LoadRequest, socket: Listener, samples: number): Promise<number[]> {
  const out: number[] = [];
  const url = retarget(request, node).url;
  for (let i = 0; i < samples; i++) {
    const arrived = socket.next();
    const start = performance.now();
    const res = await fetch(url, { method: 'POST', headers: request.headers, body: request.body });
    await res.arrayBuffer();
    out.push((await arrived) - start);
  }
  return out;
}
