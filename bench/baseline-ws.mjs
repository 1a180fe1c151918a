// The P2 baseline: a bare `ws` broadcast server. Sockets connect to `/?groups=a,b`; a POST to `/publish` with
// `{"group": "a", "dialogId": "chat5"}` parses the JSON, serialises one frame shaped and sized like b24-local's
// `startWriting` JSON-RPC message, sends it to every socket of the group and answers a small JSON. What Node and `ws`
// alone can do on this machine.
//
// `node bench/baseline-ws.mjs N` (N > 1) runs N processes on one port (node:cluster): sockets are spread over them
// and a publish is relayed to every process over IPC — the best a multi-process fan-out could do here.
// `node bench/baseline-ws.mjs 1 raw` frames the message once and writes that buffer straight to every TCP socket,
// with nothing else per recipient: the floor of one process making one write per socket.
import cluster from 'node:cluster';
import http from 'node:http';
import { WebSocketServer } from 'ws';

const processes = Number(process.argv[2] ?? 1);
const raw = process.argv[3] === 'raw';

if (processes > 1 && cluster.isPrimary) {
  const port = await new Promise((resolve) => {
    const probe = http.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
  const workers = Array.from({ length: processes }, () => cluster.fork({ BASELINE_PORT: String(port) }));
  for (const worker of workers) {
    worker.on('message', (msg) => {
      for (const other of workers) if (other !== worker) other.send(msg);
    });
  }
  await Promise.all(workers.map((w) => new Promise((resolve) => w.once('listening', resolve))));
  console.log(`listening on http://127.0.0.1:${port}`);
  process.on('SIGTERM', () => {
    for (const worker of workers) worker.kill();
    process.exit(0);
  });
} else {
  serve(Number(process.env.BASELINE_PORT ?? 0));
}

function serve(port) {
  const groups = new Map();
  const wss = new WebSocketServer({ noServer: true, clientTracking: false, perMessageDeflate: false });
  let seq = 0;

  const broadcast = ({ group, dialogId }) => {
    const frame = Buffer.from(
      JSON.stringify({
        jsonrpc: '2.0',
        method: 'incoming.message',
        params: {
          mid: (++seq).toString(16).padStart(32, '0'),
          body: {
            module_id: 'im',
            command: 'startWriting',
            params: { dialogId, userId: 2, userName: 'Bench' },
            extra: {
              server_time: new Date().toISOString().slice(0, 19),
              server_time_unix: Date.now() / 1000,
              server_time_ago: 0,
              server_name: '127.0.0.1:8080',
              revision_web: 19,
              revision_mobile: 3,
            },
          },
          sender: { type: 2 },
        },
      }),
    );
    if (!raw) {
      for (const ws of groups.get(group) ?? []) ws.send(frame, { binary: false });
      return;
    }
    const whole = textFrame(frame);
    for (const socket of groups.get(group) ?? []) socket.write(whole);
  };
  if (cluster.isWorker) process.on('message', broadcast);

  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const publish = JSON.parse(Buffer.concat(chunks).toString());
      if (cluster.isWorker) process.send(publish);
      broadcast(publish);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"result":true}');
    });
  });

  server.on('upgrade', (req, socket, head) => {
    const names = new URL(req.url, 'http://x').searchParams.get('groups')?.split(',') ?? [];
    wss.handleUpgrade(req, socket, head, (ws) => {
      const member = raw ? socket : ws;
      for (const name of names) {
        if (!groups.has(name)) groups.set(name, new Set());
        groups.get(name).add(member);
      }
      ws.on('close', () => {
        for (const name of names) groups.get(name)?.delete(member);
      });
    });
  });

  server.listen(port, '127.0.0.1', () => {
    if (!cluster.isWorker) console.log(`listening on http://127.0.0.1:${server.address().port}`);
  });
  process.on('SIGTERM', () => process.exit(0));
}

/** A final unmasked text frame, header and payload in one buffer (RFC 6455 §5.2); payloads here are < 64 KiB. */
function textFrame(payload) {
  const head = payload.length < 126 ? 2 : 4;
  const out = Buffer.allocUnsafe(head + payload.length);
  out[0] = 0x81;
  if (head === 2) out[1] = payload.length;
  else {
    out[1] = 126;
    out.writeUInt16BE(payload.length, 2);
  }
  payload.copy(out, head);
  return out;
}
