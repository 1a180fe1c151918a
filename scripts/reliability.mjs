#!/usr/bin/env node
// `npm run reliability`: the long checks of issue 11 beside `npm run fuzz` — the crash loop (SIGKILL at random
// points under mixed load) and the soak (mixed load near the limits: RSS, fds, p99). Figures go to JSON reports.
//   npm run reliability -- --kills 20 --soak-minutes 10 [--only crash|soak]
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    kills: { type: 'string', default: '20' },
    'soak-minutes': { type: 'string', default: '10' },
    only: { type: 'string' },
    'crash-report': { type: 'string', default: 'crash-loop-report.json' },
    'soak-report': { type: 'string', default: 'soak-report.json' },
  },
});
const kills = Number(values.kills);
const minutes = Number(values['soak-minutes']);
if (!Number.isInteger(kills) || kills < 1) throw new Error(`--kills must be a positive integer, not ${values.kills}`);
if (!(minutes > 0)) throw new Error(`--soak-minutes must be a positive number, not ${values['soak-minutes']}`);
if (values.only && !['crash', 'soak'].includes(values.only)) throw new Error('--only is crash or soak');

const files = [];
if (values.only !== 'soak') files.push('test/durability/crash-loop.test.ts');
if (values.only !== 'crash') files.push('test/durability/soak.long.ts');
// One after the other: the crash loop's load would blur the soak's latencies.
let failed = 0;
for (const file of files) {
  const result = spawnSync(process.execPath, ['test/run.mjs', file], {
    stdio: 'inherit',
    env: {
      ...process.env,
      B24_TEST_TIMEOUT: String(Math.ceil(minutes * 60_000 + 3_600_000)),
      CRASH_KILLS: String(kills),
      CRASH_REPORT: values['crash-report'],
      SOAK_SECONDS: String(Math.round(minutes * 60)),
      SOAK_REPORT: values['soak-report'],
    },
  });
  if (result.status !== 0) failed = result.status ?? 1;
}
process.exit(failed);
