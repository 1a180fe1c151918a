import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { ROOT, tempDir } from './processes.ts';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** A stretch of time on the monotonic clock of `nowMs()`. */
export interface ProfileWindow {
  fromMs: number;
  toMs: number;
}

/** A directory for `node --cpu-prof-dir`, and the flags that write a profile there when the process exits. */
export function profileDir(): { dir: string; nodeArgs: string[] } {
  const dir = tempDir();
  return { dir, nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`] };
}

/** Where a label's samples go: Node's own code, a package, or a folder of ours. */
function area(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  const file = url.replace(/^file:\/\//, '');
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
  if (pkg) return pkg[1];
  const rel = path.relative(ROOT, file);
  return rel.startsWith('..') ? file : path.dirname(rel);
}

function label(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  if (!url) return functionName || '(anonymous)';
  const file = url.replace(/^file:\/\//, '');
  const pkg = /node_modules\/(.*)$/.exec(file);
  const where = url.startsWith('node:') ? url : pkg ? pkg[1] : path.relative(ROOT, file);
  return `${functionName || '(anonymous)'} ${where}:${lineNumber + 1}`;
}

/**
 * Markdown of where the CPU time of the profiles in `dir` went: self time by area (Node internals, each package,
 * each folder of ours) and the functions with the most self time. Idle time is left out of the shares.
 */
export function summariseProfiles(dir: string, options: { top?: number; window?: ProfileWindow } = {}): string {
  const top = options.top ?? 12;
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  const byArea = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let total = 0;
  for (const file of files) {
    const profile = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as CpuProfile;
    const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
    const selfUs = new Map<number, number>();
    // Only the samples of the window (the measured work), not start-up or shutdown. Profile timestamps are
    // microseconds on the same monotonic clock as `nowMs()`.
    const from = options.window ? options.window.fromMs * 1000 : Number.NEGATIVE_INFINITY;
    const to = options.window ? options.window.toMs * 1000 : Number.POSITIVE_INFINITY;
    let at = profile.startTime;
    profile.samples.forEach((id, i) => {
      const delta = profile.timeDeltas[i] ?? 0;
      at += delta;
      if (at >= from && at <= to) selfUs.set(id, (selfUs.get(id) ?? 0) + delta);
    });
    for (const [id, us] of selfUs) {
      const node = nodes.get(id)!;
      if (node.callFrame.functionName === '(idle)') continue;
      total += us;
      const a = area(node.callFrame.url, node.callFrame.functionName);
      byArea.set(a, (byArea.get(a) ?? 0) + us);
      const l = label(node);
      byFunction.set(l, (byFunction.get(l) ?? 0) + us);
    }
  }
  rmSync(dir, { recursive: true, force: true });
  if (total === 0) return '(no profile was written)';
  const share = (us: number) => `${((100 * us) / total).toFixed(1)} %`;
  const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top);
  const areas = sorted(byArea);
  const functions = sorted(byFunction);
  const cell = (entry: [string, number] | undefined, code: boolean) =>
    entry ? `${code ? `\`${entry[0]}\`` : entry[0]} | ${share(entry[1])}` : ' | ';
  return [
    `CPU profile of the server (\`node --cpu-prof\`), ${Math.round(total / 1000)} ms of busy time, self time:`,
    '',
    '| area | share | | function | share |',
    '|---|---|---|---|---|',
    ...Array.from(
      { length: Math.max(areas.length, functions.length) },
      (_, i) => `| ${cell(areas[i], false)} | | ${cell(functions[i], true)} |`,
    ),
  ].join('\n');
}
