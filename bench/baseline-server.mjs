// The baseline: a bare node:http server that reads the whole body, parses it as JSON (or a form) and answers a
// JSON document the size of b24-local's sendTyping answer. What Node itself can do on this machine.
import http from 'node:http';

const answer = JSON.stringify({
  result: true,
  time: {
    start: 1795686991.552,
    finish: 1795686991.554,
    duration: 0.002,
    processing: 0.001146,
    date_start: '2026-11-26T09:56:31+00:00',
    date_finish: '2026-11-26T09:56:31+00:00',
    operating_reset_at: 1795687591,
    operating: 0.0011,
  },
});
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const raw = Buffer.concat(chunks).toString();
    const parsed = raw.startsWith('{')
      ? JSON.parse(raw)
      : Object.fromEntries(new URLSearchParams(raw || req.url.split('?')[1] || ''));
    if (!parsed) throw new Error('unreachable');
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    res.end(answer);
  });
});
server.listen(0, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${server.address().port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
