import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Inspector } from '../../src/control/inspector.ts';
import type { AnsweredCall } from '../../src/http/pipeline.ts';

const call = (n: number): AnsweredCall => ({
  method: `m${n}`,
  params: { N: n },
  status: 200,
  body: `{"result":${n}}`,
  startMs: 1_700_000_000_000 + n,
  durationMs: 1,
});

// The ring overwrites its oldest slot once full (no element moves per call, P1): reading must still give the
// newest items first, the oldest gone, across the wrap.
describe('control: the inspector ring', () => {
  it('keeps the newest `capacity` items, newest first, across several wraps', () => {
    const inspector = new Inspector(3, () => 0);
    for (let n = 1; n <= 2; n++) inspector.rest(call(n));
    assert.deepEqual(
      inspector.query({}).map((item) => item.method),
      ['m2', 'm1'],
    );
    for (let n = 3; n <= 8; n++) {
      inspector.rest(call(n));
      const want = [n, n - 1, n - 2].map((k) => `m${k}`);
      assert.deepEqual(
        inspector.query({}).map((item) => item.method),
        want,
        `after ${n} calls`,
      );
    }
    assert.deepEqual(
      inspector.query({ since: 6 }).map((item) => item.answer),
      [{ result: 8 }, { result: 7 }],
    );
    assert.deepEqual(
      inspector.query({ limit: 1 }).map((item) => item.id),
      [8],
    );
  });

  it('mixes kinds in one order and starts over after clear', () => {
    const inspector = new Inspector(2, () => 0);
    inspector.rest(call(1));
    inspector.pull({ module_id: 'im', command: 'startWriting', params: { dialogId: 'chat1' } }, { users: [2] });
    inspector.rest(call(3));
    assert.deepEqual(
      inspector.query({}).map((item) => `${item.kind}:${item.method}`),
      ['rest:m3', 'pull:im.startWriting'],
    );
    inspector.clear();
    assert.deepEqual(inspector.query({}), []);
    inspector.rest(call(4));
    assert.deepEqual(
      inspector.query({}).map((item) => item.method),
      ['m4'],
    );
  });
});
