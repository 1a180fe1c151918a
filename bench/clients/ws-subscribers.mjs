// A subscriber process for P2: opens many WebSockets and reports, over IPC, the moment the LAST of its sockets
// expecting a message has it. Timestamps are CLOCK_MONOTONIC (process.hrtime), shared by every process on the machine.
//
// parent → {op: 'open', sockets: [{url, markers: [m…]}], concurrency}   child → {op: 'opened', open, failed}
//          {op: 'close'}                                                child → {op: 'got', marker, k, at}
// A socket expects every message containing one of its markers; `k` counts them per marker (1, 2, …).
import WebSocket from 'ws';

const sockets = [];
/** marker → how many of our sockets expect it */
const expected = new Map();
/** marker → k → sockets that have message k */
const received = new Map();
let markerBuffers = [];

const now = () => Number(process.hrtime.bigint()) / 1e6;

function onMessage(state, data) {
  for (const [marker, bytes] of markerBuffers) {
    if (!state.markers.has(marker) || !data.includes(bytes)) continue;
    const k = (state.counts.get(marker) ?? 0) + 1;
    state.counts.set(marker, k);
    const perK = received.get(marker);
    const n = (perK.get(k) ?? 0) + 1;
    if (n === expected.get(marker)) {
      perK.delete(k);
      process.send({ op: 'got', marker, k, at: now() });
    } else perK.set(k, n);
  }
}

function open({ url, markers }) {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    const state = { ws, markers: new Set(markers), counts: new Map() };
    ws.on('open', () => {
      sockets.push(state);
      resolve(true);
    });
    ws.on('message', (data) => onMessage(state, data));
    ws.on('error', () => resolve(false));
    ws.on('close', () => resolve(false));
  });
}

process.on('message', async (msg) => {
  if (msg.op === 'open') {
    const all = new Set(markerBuffers.map(([m]) => m));
    for (const socket of msg.sockets) {
      for (const marker of socket.markers) {
        expected.set(marker, (expected.get(marker) ?? 0) + 1);
        if (!received.has(marker)) received.set(marker, new Map());
        all.add(marker);
      }
    }
    markerBuffers = [...all].map((m) => [m, Buffer.from(m)]);
    let failed = 0;
    for (let i = 0; i < msg.sockets.length; i += msg.concurrency) {
      const batch = await Promise.all(msg.sockets.slice(i, i + msg.concurrency).map(open));
      failed += batch.filter((ok) => !ok).length;
    }
    process.send({ op: 'opened', open: sockets.length, failed });
  } else if (msg.op === 'close') {
    for (const { ws } of sockets) ws.terminate();
    process.exit(0);
  }
});
