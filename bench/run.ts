// `npm run bench`: every scenario next to its baseline measured in the same run; writes BENCHMARKS.md.
// `npm run bench -- --smoke`: a few seconds per scenario, no file written (the test suite runs this).
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from './lib/processes.ts';
import type { Row, Scenario } from './lib/scenario.ts';
import { p1Rest } from './scenarios/p1-rest.ts';

const scenarios: Scenario[] = [p1Rest];

const args = process.argv.slice(2);
const smoke = args.includes('--smoke');
const only = args.filter((a) => !a.startsWith('--'));
const options = { seconds: smoke ? 1 : 10, connections: smoke ? 5 : 50, smoke };

const results: { scenario: Scenario; rows: Row[]; error?: string }[] = [];
for (const scenario of scenarios.filter((s) => only.length === 0 || only.includes(s.id))) {
  process.stdout.write(`${scenario.id} ${scenario.title}\n`);
  try {
    const rows = await scenario.run(options);
    for (const row of rows) {
      process.stdout.write(`  ${row.name}: ${row.figure} | baseline ${row.baseline} | ratio ${row.ratio.toFixed(2)}\n`);
    }
    results.push({ scenario, rows });
  } catch (error) {
    process.stdout.write(`  FAILED: ${error instanceof Error ? error.message : error}\n`);
    results.push({ scenario, rows: [], error: String(error) });
  }
}

if (!smoke) {
  const lines = [
    '# Benchmarks',
    '',
    `Command: \`npm run bench${only.length ? ` -- ${only.join(' ')}` : ''}\` — ${new Date().toISOString()}`,
    `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}, Node ${process.version}`,
    '',
    'Every figure is next to a baseline measured in the same run on the same machine; ratios are what count.',
    '',
  ];
  for (const { scenario, rows, error } of results) {
    lines.push(`## ${scenario.id} — ${scenario.title}`, '');
    if (error) lines.push(`Failed: ${error}`, '');
    if (rows.length) {
      lines.push('| variant | b24-local | baseline | ratio | goal | met |', '|---|---|---|---|---|---|');
      for (const r of rows) {
        const ratio = `${r.ratio.toFixed(2)}×${r.latencyRatio !== undefined ? ` (p99 ${r.latencyRatio.toFixed(2)}×)` : ''}`;
        lines.push(
          `| ${r.name} | ${r.figure} | ${r.baseline} | ${ratio} | ${r.goal ?? ''} | ${r.met === undefined ? '' : r.met ? 'yes' : 'no'} |`,
        );
      }
      lines.push('');
    }
  }
  writeFileSync(path.join(ROOT, 'BENCHMARKS.md'), `${lines.join('\n')}\n`);
}
process.exit(results.some((r) => r.error) ? 1 : 0);
