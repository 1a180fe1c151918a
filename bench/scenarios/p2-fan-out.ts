import { setTimeout as sleep } from 'node:timers/promises';
import { PULL_DEFAULTS } from '../../src/realtime/pull-feature.ts';
import { cpuMs, nowMs, rest, rssKiB, startB24, startProcess, treeCpuMs } from '../lib/processes.ts';
import { type ProfileWindow, profileDir, summariseProfiles } from '../lib/profile.ts';
import type { Row, Scenario } from '../lib/scenario.ts';
import { percentile } from '../lib/stats.ts';
import { benchStore } from '../lib/store.ts';
import { type SocketSpec, SubscriberPool } from '../lib/subscribers.ts';

/** Wall time per event-loop turn of the pull server's fan-out queue (src/realtime/pull-feature.ts). */
const FAN_OUT_SLICE_MS = PULL_DEFAULTS.fanOutSliceMs;

/** Client processes holding the sockets; each opens thousands. */
const CLIENT_PROCESSES = 2;

interface Sizes {
  big: number;
  small: number;
  calls: number;
  /** Quiet time with every socket open, to weigh what the server does without fan-outs. */
  idleMs: number;
}

interface FanOutFigures {
  big: number[];
  small: number[];
  /** Server RSS growth per idle subscriber, KiB. */
  rssPerSocket: number;
  /** Server CPU time (user + system) per big fan-out, ms (every process of a multi-process server). */
  cpuPerBig: number;
  /** The subscriber processes' CPU time per big fan-out, ms: they share the two cores with the server. */
  clientCpuPerBig: number;
}

/**
 * P2: `imbot.chat.sendTyping` in a chat whose every member listens on a WebSocket (server v5 JSON-RPC), from the
 * call to the moment the LAST subscriber has the `startWriting` command; next to a bare single-process `ws` server
 * (bench/baseline-ws.mjs) broadcasting a same-sized frame to the same sockets. Subscribers live in client processes.
 * Two references: the bare server framing once and writing that buffer to each TCP socket with nothing else per
 * recipient (the floor of one process making one write per socket), and the bare `ws` server in two processes (what
 * spreading the sockets over both cores could gain here).
 */
export const p2FanOut: Scenario = {
  id: 'P2',
  title: 'Typing fan-out over WebSockets',
  async run({ smoke }) {
    const sizes: Sizes = smoke
      ? { big: 200, small: 50, calls: 5, idleMs: 1000 }
      : { big: 10_000, small: 1_000, calls: 100, idleMs: 10_000 };
    const base = await measureBaseline(sizes, 1);
    const floor = await measureBaseline(sizes, 1, [], 'raw');
    const twoProcesses = await measureBaseline(sizes, 2);
    const ours = await measureB24(sizes);
    const big = sizes.big.toLocaleString('en');
    const row = (name: string, a: number[], b: number[], goal = true, cpu = ''): Row => {
      const ratio = percentile(a, 99) / percentile(b, 99);
      return {
        name,
        figure: `p99 ${percentile(a, 99).toFixed(1)} ms (p50 ${percentile(a, 50).toFixed(1)})${cpu}`,
        baseline: `p99 ${percentile(b, 99).toFixed(1)} ms (p50 ${percentile(b, 50).toFixed(1)})`,
        ratio,
        ...(goal ? { goal: 'p99 ≤ 0.8×', met: ratio <= 0.8 } : {}),
      };
    };
    const restP99 = percentile(ours.restDuring, 99);
    const rows: Row[] = [
      row(`${big} subscribers: call → last one has it`, ours.big, base.big),
      row(`${sizes.small.toLocaleString('en')} subscribers: call → last one has it`, ours.small, base.small),
      row(
        `(reference) bare, framed once, one write per socket, ${big} subscribers`,
        floor.big,
        base.big,
        false,
        `, CPU ${floor.cpuPerBig.toFixed(1)} ms`,
      ),
      row(
        `(reference) bare ws in 2 processes, ${big} subscribers`,
        twoProcesses.big,
        base.big,
        false,
        `, CPU ${twoProcesses.cpuPerBig.toFixed(1)} ms`,
      ),
      {
        name: `server CPU time per ${big}-member fan-out`,
        figure: `${ours.cpuPerBig.toFixed(1)} ms`,
        baseline: `${base.cpuPerBig.toFixed(1)} ms (bare ws)`,
        ratio: ours.cpuPerBig / base.cpuPerBig,
        goal: 'below the baseline',
        met: ours.cpuPerBig < base.cpuPerBig,
      },
      {
        name: `server.time during ${big}-member fan-outs`,
        figure: `p99 ${restP99.toFixed(1)} ms (${ours.restDuring.length} calls)`,
        baseline: `p99 ${percentile(ours.restIdle, 99).toFixed(1)} ms with no fan-out`,
        ratio: restP99 / percentile(ours.restIdle, 99),
        goal: 'p99 < 20 ms',
        met: restP99 < 20,
      },
      {
        name: 'server RSS per idle subscriber',
        figure: `${ours.rssPerSocket.toFixed(1)} KiB`,
        baseline: `${base.rssPerSocket.toFixed(1)} KiB (bare ws)`,
        ratio: ours.rssPerSocket / base.rssPerSocket,
        goal: '≤ 12 KiB',
        met: ours.rssPerSocket <= 12,
      },
    ];
    const notes = [
      `${sizes.calls} calls per chat, one at a time; ${CLIENT_PROCESSES} client processes hold the sockets; arrival ` +
        'times are on the machine-wide monotonic clock. The smaller chat is measured with every socket connected ' +
        '(its members are a subset of the big one). server.time runs in a loop, one call at a time, during a third ' +
        `series of ${sizes.calls} big fan-outs (not during the measured ones, which the baseline runs alone). ` +
        'RSS per subscriber: server RSS after connecting every socket and 2 s of quiet, minus RSS before, over the ' +
        'number of sockets. The subscriber processes used ' +
        `${base.clientCpuPerBig.toFixed(0)} ms (bare ws), ${floor.clientCpuPerBig.toFixed(0)} ms (framed once), ` +
        `${twoProcesses.clientCpuPerBig.toFixed(0)} ms (2 processes) and ${ours.clientCpuPerBig.toFixed(0)} ms ` +
        `(b24-local) of CPU per ${big}-member fan-out. With every socket open and no fan-out b24-local used ` +
        `${ours.idleCpuPerSec.toFixed(0)} ms of CPU per second (a ping round every ` +
        `${PULL_DEFAULTS.pingIntervalMs / 1000} s, the text \`ping\` b24jssdk needs and a ping frame, and the pongs ` +
        'read back; the activity notes), which the bare server does not do: at the pace of the big series that is ' +
        `about ${((ours.idleCpuPerSec * ours.bigWallMs) / 1000 / sizes.calls).toFixed(0)} ms of each fan-out's CPU.`,
    ];
    if (rows[0].met === false) notes.push(explain(ours, base, floor, twoProcesses));
    const restRow = rows.find((r) => r.goal === 'p99 < 20 ms')!;
    if (!restRow.met) {
      notes.push(
        `server.time misses its p99 goal: the fan-out queue holds the event loop for ${FAN_OUT_SLICE_MS} ms per turn ` +
          'and a REST call waits for at most the turn under way, so its tail is that turn plus whatever else shares ' +
          'the core (the ping rounds, other processes; the load average above).',
      );
    }
    if (!smoke && rows[0].met === false) {
      // A second server with the profiler on, so its overhead never touches the measured figures.
      const prof = profileDir();
      const profiled = await measureB24({ ...sizes, calls: 30 }, { nodeArgs: prof.nodeArgs, bigOnly: true });
      notes.push(
        `Profile of 30 ${big}-member fan-outs:`,
        '',
        summariseProfiles(prof.dir, { window: profiled.bigPhase }),
      );
      // The bare server's, for comparison: what one write per socket costs without our routing.
      const bareProf = profileDir();
      const bare = await measureBaseline({ ...sizes, calls: 30 }, 1, bareProf.nodeArgs);
      notes.push(
        `The bare \`ws\` server's profile of 30 ${big}-member fan-outs:`,
        '',
        summariseProfiles(bareProf.dir, { window: bare.bigPhase }),
      );
    }
    return { rows, notes };
  },
};

/** Why the big fan-out misses ≤ 0.8×, in the run's own figures, and what a multi-process mode would take. */
function explain(ours: B24Figures, base: FanOutFigures, floor: FanOutFigures, two: FanOutFigures): string {
  const ms = (x: number) => `${x.toFixed(0)} ms`;
  const p99 = (f: FanOutFigures) => percentile(f.big, 99);
  return [
    'Where the time goes: a fan-out is one write system call per subscriber. b24-local frames the JSON-RPC message ' +
      'once and writes that one buffer to every socket; the bare server frames per send (ws: a header buffer and a ' +
      "two-part `writev` per socket). Each write into the kernel's loopback TCP also runs the receiving side's TCP " +
      "and wakes the receiving process, all on the sender's CPU: that is most of both servers' time in the " +
      `profiles below. Per fan-out b24-local used ${ms(ours.cpuPerBig)} of CPU, the bare server ` +
      `${ms(base.cpuPerBig)}, and the bare server framing once with nothing else per recipient ` +
      `${ms(floor.cpuPerBig)}: what b24-local adds to that floor is its routing per recipient (the user's history ` +
      'ring for `mid` resume, its listeners, the slow-consumer check) and the protocol pings every 10 s with their ' +
      'pongs.',
    '',
    'The floor of one process: the latency runs to the last of the subscribers, whose processes share the two ' +
      `cores with the server and used ${ms(base.clientCpuPerBig)} of CPU per fan-out under the bare server. ` +
      `Framing once and writing with nothing else per recipient gave p99 ${(p99(floor) / p99(base)).toFixed(2)}× ` +
      "the bare server's in this run, about as low as one process making one write per socket can go. " +
      `The bare server in two processes (sockets split by node:cluster, each publish relayed over IPC) gave ` +
      `p99 ${(p99(two) / p99(base)).toFixed(2)}× (${ms(two.cpuPerBig)} of CPU in both together). What a ` +
      '`B24_WORKERS` mode would take behind the Hub interface: the main process keeps the REST pipeline, the domain ' +
      'caches and long polling; it hands each WebSocket upgrade (the socket handle over IPC) to a pull worker chosen ' +
      'by user id, so a reconnecting client finds its own history for `mid` resume; each worker runs a PullServer ' +
      'and WsEndpoint over its share of sockets, with a read-only view of the pull channels; an IPC Hub publishes ' +
      'every command to the workers in order. It pays off on a machine with cores to spare beyond the subscribers.',
  ].join('\n');
}

const marker = (chat: string) => `"dialogId":"${chat}"`;

async function measureBaseline(
  sizes: Sizes,
  processes: number,
  nodeArgs: string[] = [],
  mode: 'ws' | 'raw' = 'ws',
): Promise<FanOutFigures & { bigPhase: ProfileWindow }> {
  const server = await startProcess([...nodeArgs, 'bench/baseline-ws.mjs', String(processes), mode], {});
  const pool = new SubscriberPool(CLIENT_PROCESSES);
  try {
    const ws = server.url.replace(/^http/, 'ws');
    const sockets: SocketSpec[] = Array.from({ length: sizes.big }, (_, i) => ({
      url: `${ws}/?groups=${i < sizes.small ? 'big,small' : 'big'}`,
      markers: i < sizes.small ? [marker('chat1'), marker('chat2')] : [marker('chat1')],
    }));
    const rssPerSocket = await connectAndWeigh(server.child.pid!, pool, sockets);
    const publish = (group: string, dialogId: string) => () =>
      fetch(`${server.url}/publish`, { method: 'POST', body: JSON.stringify({ group, dialogId }) }).then((r) =>
        r.arrayBuffer(),
      );
    const bigPhase = { fromMs: nowMs(), toMs: 0 };
    const serverCpu = () => (processes > 1 ? treeCpuMs : cpuMs)(server.child.pid!);
    const [cpu, clientCpu] = [serverCpu(), pool.cpuMs()];
    const big = await fanOuts(pool, marker('chat1'), 1, sizes.calls, publish('big', 'chat1'));
    const cpuPerBig = (serverCpu() - cpu) / sizes.calls;
    const clientCpuPerBig = (pool.cpuMs() - clientCpu) / sizes.calls;
    bigPhase.toMs = nowMs();
    const small = await fanOuts(pool, marker('chat2'), 1, sizes.calls, publish('small', 'chat2'));
    return { big, small, rssPerSocket, cpuPerBig, clientCpuPerBig, bigPhase };
  } finally {
    await pool.close();
    await server.stop();
  }
}

interface B24Figures extends FanOutFigures {
  /** Server CPU per second with the sockets open and no fan-out (pings and their pongs, background sweeps), ms. */
  idleCpuPerSec: number;
  /** Wall time of the big series, ms. */
  bigWallMs: number;
  restIdle: number[];
  restDuring: number[];
  /** When the big fan-outs ran (for a profile). */
  bigPhase: ProfileWindow;
}

async function measureB24(sizes: Sizes, options: { nodeArgs?: string[]; bigOnly?: boolean } = {}): Promise<B24Figures> {
  const store = await benchStore();
  // The set-up adds a 10,000-member chat in one call: on a busy machine that outlasts the idle timeout (60 s).
  let b24 = await startB24({ env: { DATABASE_URL: store.url, B24_IDLE_TIMEOUT: '3600' } });
  const pool = new SubscriberPool(CLIENT_PROCESSES);
  try {
    // People and their pull channels straight into the store; the bot and the chats through the API.
    const users = await store.db.query<{ id: number; channel: string }>(
      `WITH u AS (INSERT INTO users (name, last_name) SELECT 'Subscriber', g::text FROM generate_series(1, $1) g
                  RETURNING id)
       INSERT INTO pull_channels (id, user_id, app_key, type, start_at, end_at)
       SELECT md5(random()::text || u.id), u.id, '', 'private', now(), now() + interval '12 hours' FROM u
       RETURNING user_id AS id, id AS channel`,
      [sizes.big],
    );
    users.sort((a, b) => a.id - b.id);
    const setUp = b24.webhook;
    const botId = await rest(setUp, 'imbot.register', {
      CODE: 'fanout',
      CLIENT_ID: 'bench',
      EVENT_HANDLER: 'http://127.0.0.1:9/h',
      PROPERTIES: { NAME: 'Fan-out' },
    });
    const ids = users.map((u) => u.id);
    const bigChat = await rest(setUp, 'imbot.chat.add', { BOT_ID: botId, USERS: ids, CLIENT_ID: 'bench' });
    const smallChat = await rest(setUp, 'imbot.chat.add', {
      BOT_ID: botId,
      USERS: ids.slice(0, sizes.small),
      CLIENT_ID: 'bench',
    });
    const [bigMarker, smallMarker] = [marker(`chat${bigChat}`), marker(`chat${smallChat}`)];
    // Measured in a fresh process, like the baseline: the set-up's garbage would otherwise leave a grown heap that
    // the sockets fill without raising RSS.
    await b24.destroy();
    b24 = await startB24({ env: { DATABASE_URL: store.url }, nodeArgs: options.nodeArgs });
    const hook = b24.webhook;

    const ws = b24.url.replace(/^http/, 'ws');
    const sockets = users.map((u, i) => ({
      url: `${ws}/subws/?CHANNEL_ID=${u.channel}&jsonRpc=true`,
      markers: i < sizes.small ? [bigMarker, smallMarker] : [bigMarker],
    }));
    const rssPerSocket = await connectAndWeigh(b24.child.pid!, pool, sockets);
    const idleFrom = cpuMs(b24.child.pid!);
    await sleep(sizes.idleMs);
    const idleCpuPerSec = ((cpuMs(b24.child.pid!) - idleFrom) * 1000) / sizes.idleMs;
    const typing = (chat: number) => () =>
      rest(hook, 'imbot.chat.sendTyping', { BOT_ID: botId, DIALOG_ID: `chat${chat}`, CLIENT_ID: 'bench' });

    const bigPhase = { fromMs: nowMs(), toMs: 0 };
    const [cpu, clientCpu] = [cpuMs(b24.child.pid!), pool.cpuMs()];
    const big = await fanOuts(pool, bigMarker, 1, sizes.calls, typing(bigChat));
    const cpuPerBig = (cpuMs(b24.child.pid!) - cpu) / sizes.calls;
    const clientCpuPerBig = (pool.cpuMs() - clientCpu) / sizes.calls;
    bigPhase.toMs = nowMs();
    const bigWallMs = bigPhase.toMs - bigPhase.fromMs;
    const figures = { big, rssPerSocket, cpuPerBig, clientCpuPerBig, bigPhase, idleCpuPerSec, bigWallMs };
    if (options.bigOnly) return { ...figures, small: [], restIdle: [], restDuring: [] };
    const small = await fanOuts(pool, smallMarker, 1, sizes.calls, typing(smallChat));
    const restIdle = await timeLoop(`${hook}server.time`, sizes.calls);
    const during = restLoop(`${hook}server.time`);
    await fanOuts(pool, bigMarker, sizes.calls + 1, sizes.calls, typing(bigChat));
    const restDuring = await during.stop();
    return { ...figures, small, restIdle, restDuring };
  } finally {
    await pool.close();
    await b24.destroy();
    await store.stop();
  }
}

/** Opens the sockets; the server's RSS growth per socket, KiB. */
async function connectAndWeigh(pid: number, pool: SubscriberPool, sockets: SocketSpec[]): Promise<number> {
  await sleep(1000);
  const before = rssKiB(pid);
  await pool.open(sockets);
  await sleep(2000);
  return (rssKiB(pid) - before) / sockets.length;
}

/** Fan-outs `first` … `first + calls - 1` of a marker, one after another: from the call to the last arrival, ms. */
async function fanOuts(
  pool: SubscriberPool,
  marker: string,
  first: number,
  calls: number,
  call: () => Promise<unknown>,
): Promise<number[]> {
  const out: number[] = [];
  for (let k = first; k < first + calls; k++) {
    const start = nowMs();
    const [, last] = await Promise.all([call(), pool.arrival(marker, k)]);
    out.push(last - start);
  }
  return out;
}

async function timeLoop(url: string, calls: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < calls; i++) out.push(await timedCall(url));
  return out;
}

/** server.time over and over until stopped, one at a time: each call's latency, ms. */
function restLoop(url: string): { stop(): Promise<number[]> } {
  const out: number[] = [];
  let running = true;
  const loop = (async () => {
    while (running) out.push(await timedCall(url));
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return out;
    },
  };
}

async function timedCall(url: string): Promise<number> {
  const start = nowMs();
  const res = await fetch(url, { method: 'POST' });
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return nowMs() - start;
}
