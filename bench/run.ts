// `npm run bench`: every scenario next to its baseline measured in the same run; writes BENCHMARKS.md.
// `npm run bench -- --smoke`: small sizes and short runs, no file written (the test suite runs this).
// `npm run bench -- P2 P4`: only those scenarios (the file then holds only them).
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from './lib/processes.ts';
import type { Row, Scenario, ScenarioResult } from './lib/scenario.ts';
import { p1Rest } from './scenarios/p1-rest.ts';
import { p2FanOut } from './scenarios/p2-fan-out.ts';
import { p3StartUp } from './scenarios/p3-start-up.ts';
import { p4Growth } from './scenarios/p4-growth.ts';
import { p5Events } from './scenarios/p5-events.ts';
import { p6Nodes } from './scenarios/p6-nodes.ts';
import { p7CliStart } from './scenarios/p7-cli-start.ts';

const scenarios: Scenario[] = [p1Rest, p2FanOut, p3StartUp, p4Growth, p5Events, p6Nodes, p7CliStart];

const args = process.argv.slice(2);
const smoke = args.includes('--smoke');
const only = args.filter((a) => !a.startsWith('--')).map((a) => a.toUpperCase());
const options = { seconds: smoke ? 1 : 10, connections: smoke ? 5 : 50, smoke };
const loadBefore = os.loadavg();
const started = new Date();

const results: { scenario: Scenario; result?: ScenarioResult; error?: string }[] = [];
for (const scenario of scenarios.filter((s) => only.length === 0 || only.includes(s.id))) {
  process.stdout.write(`${scenario.id} ${scenario.title}\n`);
  try {
    const result = await scenario.run(options);
    for (const row of result.rows) {
      const met = row.met === undefined ? '' : row.met ? ' [goal met]' : ' [goal missed]';
      process.stdout.write(
        `  ${row.name}: ${row.figure} | baseline ${row.baseline} | ratio ${row.ratio.toFixed(2)}${met}\n`,
      );
    }
    results.push({ scenario, result });
  } catch (error) {
    process.stdout.write(`  FAILED: ${error instanceof Error ? (error.stack ?? error.message) : error}\n`);
    results.push({ scenario, error: error instanceof Error ? error.message : String(error) });
  }
}

if (!smoke) writeFileSync(path.join(ROOT, 'BENCHMARKS.md'), report());
process.exit(results.some((r) => r.error) ? 1 : 0);

function report(): string {
  const cpus = os.cpus();
  const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(' / ');
  const lines = [
    '# Benchmarks',
    '',
    // The plain-language summary is written by hand (bench/summary.md) and kept across runs.
    readFileSync(path.join(ROOT, 'bench', 'summary.md'), 'utf8').trim(),
    '',
    `Command: \`npm run bench${only.length ? ` -- ${only.join(' ')}` : ''}\`, ${started.toISOString()} ` +
      `(${Math.round((Date.now() - started.getTime()) / 1000)} s).`,
    '',
    `Machine: ${cpus.length} × ${cpus[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ` +
      `${os.type()} ${os.release()} (${os.arch()}), Node ${process.version}. Load average (1/5/15 min) before: ` +
      `${load(loadBefore)}, after: ${load(os.loadavg())} — figures from a busy machine are noisy; ratios less so.`,
    '',
    'Every figure stands next to a baseline measured in the same run on the same machine; the ratios are what the ' +
      'goals judge. How each scenario is built: README "Benchmarks" and bench/scenarios/.',
    '',
    '## Goals',
    '',
    '| scenario | variant | b24-local | ratio | goal | met |',
    '|---|---|---|---|---|---|',
  ];
  for (const { scenario, result } of results) {
    for (const r of result?.rows ?? []) {
      if (!r.goal) continue;
      lines.push(
        `| ${scenario.id} | ${r.name} | ${r.figure} | ${ratioText(r)} | ${r.goal} | ${r.met ? 'yes' : 'no'} |`,
      );
    }
  }
  lines.push('');
  for (const { scenario, result, error } of results) {
    lines.push(`## ${scenario.id} — ${scenario.title}`, '');
    if (error) lines.push(`Failed: ${error}`, '');
    if (result?.rows.length) {
      lines.push('| variant | b24-local | baseline | ratio | goal | met |', '|---|---|---|---|---|---|');
      for (const r of result.rows) {
        const met = r.met === undefined ? '' : r.met ? 'yes' : 'no';
        lines.push(`| ${r.name} | ${r.figure} | ${r.baseline} | ${ratioText(r)} | ${r.goal ?? ''} | ${met} |`);
      }
      lines.push('');
    }
    for (const note of result?.notes ?? []) lines.push(note, '');
  }
  return `${lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}

function ratioText(r: Row): string {
  return `${r.ratio.toFixed(2)}×${r.latencyRatio !== undefined ? ` (p99 ${r.latencyRatio.toFixed(2)}×)` : ''}`;
}
