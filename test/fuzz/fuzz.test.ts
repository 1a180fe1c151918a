import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { pullFeature } from '../../src/realtime/pull-feature.ts';
import { startTestServer, type TestServer } from '../helpers/harness.ts';
import { caseFor, type FuzzCase, request } from './cases.ts';
import { buildWorld, fingerprint, type World, watchParams } from './world.ts';

// Issue 11, "Make it systematic": every method of the registry is fuzzed from the params it reads, with wrong types,
// missing and extra params, empty, huge, unicode and control characters, nested params, overflowing numbers, invalid
// JSON and wrong content types. The invariant: an answer within the time limit that is a documented error (4xx,
// `{error, error_description}`) or a success, never a 5xx, a hang or a crash; and a refused call changes nothing.
// `npm test` runs FUZZ_RUNS (3) cases per method; `npm run fuzz` runs 200 and writes the figures (FUZZ_REPORT).
const RUNS = Number(process.env.FUZZ_RUNS ?? 3);
const SEED = Number(process.env.FUZZ_SEED ?? 42);
const HANG_MS = 30_000;

interface Failure {
  method: string;
  why: string;
  case: string;
}

describe('fuzzing every method of the registry', () => {
  let server: TestServer;
  let world: World;
  let seen: Map<string, Set<string>>;

  before(async () => {
    server = await startTestServer({ features: [pullFeature({ longPollTimeoutMs: 300 })] });
    world = await buildWorld(server);
    seen = watchParams(server.app.services.registry.all());
    // One plain call per method first, so its params are known before the cases are drawn.
    for (const method of server.app.services.registry.all()) {
      await server.call(method.name, { botId: world.v2BotId, botToken: world.v2Token, BOT_ID: world.botId });
    }
  });
  after(() => server.close());

  it(`${RUNS} cases per method: no 5xx, hang or crash; a refused call changes nothing`, async () => {
    const failures: Failure[] = [];
    const stats: Record<string, { cases: number; ok: number; refused: number; fiveHundreds: number }> = {};
    const methods = server.app.services.registry.all().filter((m) => m.name !== 'batch' || RUNS > 0);
    // Written before each method too, so a long run cut short still leaves its figures.
    const report = (complete: boolean) => {
      if (!process.env.FUZZ_REPORT) return;
      const figures = {
        complete,
        runsPerMethod: RUNS,
        seed: SEED,
        methods: Object.keys(stats).length,
        cases: Object.values(stats).reduce((n, s) => n + s.cases, 0),
        fiveHundreds: Object.values(stats).reduce((n, s) => n + s.fiveHundreds, 0),
        failures,
        perMethod: stats,
      };
      writeFileSync(process.env.FUZZ_REPORT, `${JSON.stringify(figures, null, 2)}\n`);
    };
    for (const method of methods) {
      const tally = { cases: 0, ok: 0, refused: 0, fiveHundreds: 0 };
      stats[method.name] = tally;
      const known = [...(seen.get(method.name) ?? [])];
      report(false);
      await fc.assert(
        fc.asyncProperty(caseFor(world, known), async (c: FuzzCase) => {
          tally.cases++;
          const before = await fingerprint(server);
          const { url, init } = request(c, world, server.webhook, method.name);
          let status: number;
          let body: unknown;
          try {
            const res = await fetch(url, { ...init, signal: AbortSignal.timeout(HANG_MS) });
            status = res.status;
            const text = await res.text();
            body = text ? JSON.parse(text) : undefined;
          } catch (error) {
            failures.push({ method: method.name, why: `no answer: ${error}`, case: show(c) });
            return;
          }
          const shape = body as { error?: unknown; error_description?: unknown; result?: unknown } | undefined;
          if (status >= 500) {
            tally.fiveHundreds++;
            failures.push({ method: method.name, why: `${status} ${JSON.stringify(body)}`, case: show(c) });
          } else if (status >= 400) {
            tally.refused++;
            if (typeof shape?.error_description !== 'string' || shape.error === undefined) {
              failures.push({ method: method.name, why: `${status} without an error body`, case: show(c) });
            }
            const afterwards = await fingerprint(server);
            if (afterwards !== before && method.name !== 'batch') {
              failures.push({
                method: method.name,
                why: `refused (${status} ${shape?.error}) but changed data`,
                case: show(c),
              });
            }
          } else tally.ok++;
        }),
        { numRuns: RUNS, seed: SEED + method.name.length, endOnFailure: true },
      );
    }
    // The server still answers after everything it was sent.
    const alive = await server.call('server.time');
    assert.equal(alive.status, 200);
    report(true);
    assert.deepEqual(failures.slice(0, 20), [], `${failures.length} failures`);
  });
});

function show(c: FuzzCase): string {
  const text = JSON.stringify(c);
  return text.length > 600 ? `${text.slice(0, 600)}…` : text;
}
