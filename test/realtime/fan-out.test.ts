import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setImmediate as turn } from 'node:timers/promises';
import { BATCH, eachOf, FanOut, type Job } from '../../src/realtime/fan-out.ts';

/** A clock the test moves: every unit of work takes 1 ms. */
function ticking() {
  let ms = 0;
  return { now: () => ms, tick: () => ms++ };
}

/** A job of `count` units, 1 ms each, looking at the clock after every unit. */
function units(log: string[], name: string, count: number, tick: () => void): Job {
  let i = 0;
  return (t) => {
    while (i < count) {
      log.push(`${name}${i++}`);
      tick();
      if (i < count && t.over()) return false;
    }
    return true;
  };
}

const rethrow = (error: unknown) => {
  throw error;
};

describe('FanOut', () => {
  it('runs a small job inside the call that pushed it', () => {
    const log: string[] = [];
    const clock = ticking();
    new FanOut(10, rethrow, clock.now).push(units(log, 'a', 3, clock.tick));
    assert.deepEqual(log, ['a0', 'a1', 'a2']);
  });

  it('yields to the event loop when a turn has used its time, and keeps jobs in order', async () => {
    const log: string[] = [];
    const clock = ticking();
    const fanOut = new FanOut(2, rethrow, clock.now);
    fanOut.push(units(log, 'a', 5, clock.tick));
    fanOut.push(units(log, 'b', 2, clock.tick));
    assert.deepEqual(log, ['a0', 'a1'], 'the first turn stops after its 2 ms');
    log.push('|'); // other work (a REST call) gets its turn here
    while (fanOut.pending > 0) await turn();
    assert.deepEqual(log, ['a0', 'a1', '|', 'a2', 'a3', 'a4', 'b0', 'b1']);
  });

  it('a failing job is reported and the queue goes on', () => {
    const errors: unknown[] = [];
    const log: string[] = [];
    const clock = ticking();
    const fanOut = new FanOut(10, (error) => errors.push(error), clock.now);
    fanOut.push(() => {
      throw new Error('boom');
    });
    fanOut.push(units(log, 'b', 1, clock.tick));
    assert.equal(errors.length, 1);
    assert.deepEqual(log, ['b0']);
  });
});

describe('eachOf', () => {
  it('looks at the clock once per batch and resumes where it stopped', () => {
    const seen: number[] = [];
    let looks = 0;
    const items = Array.from({ length: BATCH * 2 + 3 }, (_, i) => i);
    const job = eachOf(items.values(), (item) => seen.push(item));
    const over = { over: () => ++looks > 0 };
    assert.equal(job(over), false, 'the turn is over after the first batch');
    assert.equal(seen.length, BATCH);
    assert.equal(job({ over: () => false }), true);
    assert.deepEqual(seen, items);
    assert.equal(looks, 1);
  });
});
