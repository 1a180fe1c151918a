import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setImmediate as turn } from 'node:timers/promises';
import { FanOut, type Job } from '../../src/realtime/fan-out.ts';

function* units(log: string[], name: string, count: number): Job {
  for (let i = 0; i < count; i++) {
    log.push(`${name}${i}`);
    yield;
  }
}

const rethrow = (error: unknown) => {
  throw error;
};

describe('FanOut', () => {
  it('runs a small job inside the call that pushed it', () => {
    const log: string[] = [];
    new FanOut(10, rethrow).push(units(log, 'a', 3));
    assert.deepEqual(log, ['a0', 'a1', 'a2']);
  });

  it('yields to the event loop every `chunk` units and keeps jobs in order', async () => {
    const log: string[] = [];
    const fanOut = new FanOut(2, rethrow);
    fanOut.push(units(log, 'a', 5));
    fanOut.push(units(log, 'b', 2));
    assert.deepEqual(log, ['a0', 'a1'], 'the first turn stops after two units');
    log.push('|'); // other work (a REST call) gets its turn here
    while (fanOut.pending > 0) await turn();
    assert.deepEqual(log, ['a0', 'a1', '|', 'a2', 'a3', 'a4', 'b0', 'b1']);
  });

  it('a failing job is reported and the queue goes on', async () => {
    const errors: unknown[] = [];
    const log: string[] = [];
    const fanOut = new FanOut(10, (error) => errors.push(error));
    fanOut.push(
      (function* (): Job {
        yield;
        throw new Error('boom');
      })(),
    );
    fanOut.push(units(log, 'b', 1));
    assert.equal(errors.length, 1);
    assert.deepEqual(log, ['b0']);
  });
});
