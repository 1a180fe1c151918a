import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChannelHistory } from '../../src/realtime/history.ts';
import { PullMessage } from '../../src/realtime/pull-message.ts';

const at = (seq: number, timeMs: number) =>
  new PullMessage(seq, String(seq).padStart(32, '0'), { module_id: 'm', command: 'c', params: {} }, timeMs, 'h');

describe('ChannelHistory', () => {
  it('keeps the last N messages of tracked channels only', () => {
    const history = new ChannelHistory(2, 60_000);
    history.track('a', 0);
    for (const seq of [1, 2, 3]) {
      history.add('a', at(seq, 0));
      history.add('untracked', at(seq, 0));
    }
    assert.deepEqual(
      history.since(['a', 'untracked'], 0, 0).map(([m]) => m.seq),
      [2, 3],
    );
    assert.deepEqual(
      history.since(['a'], 2, 0).map(([m]) => m.seq),
      [3],
    );
  });

  it('merges channels in sequence order and forgets what is older than the window', () => {
    const history = new ChannelHistory(10, 1000);
    history.track('a', 0);
    history.track('b', 0);
    history.add('a', at(1, 0));
    history.add('b', at(2, 500));
    history.add('a', at(3, 900));
    assert.deepEqual(
      history.since(['a', 'b'], null, 1200).map(([m, channel]) => [m.seq, channel]),
      [
        [2, 'b'],
        [3, 'a'],
      ],
    );
    assert.equal(history.latest(['a', 'b'])?.seq, 3);
  });

  it('drops the history of channels nobody has listened on for the window', () => {
    const history = new ChannelHistory(10, 1000);
    history.track('gone', 0);
    history.track('here', 0);
    history.sweep(2000, (channel) => channel === 'here');
    assert.equal(history.size, 1);
    history.add('gone', at(1, 2000));
    assert.deepEqual(history.since(['gone'], null, 2000), []);
  });

  it('keeps order when the ring has wrapped around several times, and after a sweep of a wrapped ring', () => {
    const history = new ChannelHistory(3, 1000);
    history.track(7, 0);
    for (let seq = 1; seq <= 8; seq++) history.add(7, at(seq, seq * 100));
    const seqs = (after: number | null, now: number) => history.since([7], after, now).map(([m]) => m.seq);
    assert.deepEqual(seqs(null, 800), [6, 7, 8]);
    assert.deepEqual(seqs(6, 800), [7, 8]);
    assert.equal(history.latest([7])?.seq, 8);
    history.sweep(1750, () => true); // 6 and 7 are older than the window
    assert.deepEqual(seqs(null, 1750), [8]);
    history.add(7, at(9, 1750));
    history.add(7, at(10, 1750));
    history.add(7, at(11, 1750));
    assert.deepEqual(seqs(null, 1750), [9, 10, 11]);
    assert.equal(history.latest([7])?.seq, 11);
    history.sweep(5000, () => true);
    assert.equal(history.latest([7]), undefined);
  });
});
