import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Output of `npm run bench -- --smoke`: each scenario's heading line, then one indented line per row. */
function scenarios(stdout: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of stdout.split('\n')) {
    const heading = /^(P\d) /.exec(line);
    if (heading) {
      current = [];
      out.set(heading[1], current);
    } else if (line.startsWith('  ') && current) current.push(line.trim());
  }
  return out;
}

// Only that every scenario runs to the end and yields rows: smoke figures mean nothing, so no time is asserted.
// The bench without `npm run bench`'s build: the suite built dist/ when it started, and a rebuild here removes
// dist/bundle/ under the servers that test files running beside this one start ("b24-local is not built").
test('npm run bench -- --smoke: every scenario completes with rows', { timeout: 600_000 }, async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/run.ts', '--smoke'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => {
    stdout += c;
  });
  child.stderr.on('data', (c) => {
    stderr += c;
  });
  const code = await new Promise((resolve) => child.once('exit', resolve));
  assert.equal(code, 0, `bench failed:\n${stdout}\n${stderr}`);
  const found = scenarios(stdout);
  assert.deepEqual([...found.keys()], ['P1', 'P2', 'P3', 'P4', 'P5', 'P6', 'P7']);
  for (const [id, rows] of found) {
    assert.ok(rows.length > 0, `${id} produced no rows`);
    assert.ok(!rows.some((r) => r.startsWith('FAILED')), `${id}: ${rows.join('\n')}`);
  }
});
