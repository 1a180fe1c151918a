// The load generator, in a process of its own so the server under test and the generator each get a core
// (docs/decisions.md "Performance"). Reads one autocannon request as JSON from argv, prints the summary as JSON.
import autocannon from 'autocannon';

const options = JSON.parse(process.argv[2]);
const result = await autocannon({ ...options, pipelining: 1 });
process.stdout.write(
  JSON.stringify({
    rps: result.requests.average,
    requests: result.requests.total,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  }),
);
