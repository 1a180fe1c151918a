import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from '../../src/clock.ts';
import { loadConfig } from '../../src/config/config.ts';
import { LocalOperatingTime } from '../../src/limits/operating-time.ts';
import { startTestServer } from '../helpers/harness.ts';

// b24restdocs limits.md "resource intensity": execution time per method and per app/webhook, summed over ten
// one-minute baskets that each live 10 minutes from their first call; checked before each call.
describe('limits: operating time baskets', () => {
  it("the docs' worked example: limit 480 s, 20 s per call", () => {
    const clock = new ManualClock(Date.UTC(2026, 4, 14, 10, 5, 20));
    const limiter = new LocalOperatingTime(480, clock);
    const key = 'app:1';
    const method = 'crm.item.list';
    const call = () => {
      if (limiter.status(key, method).blocked) return false;
      limiter.record(key, method, 20);
      return true;
    };
    // Two calls (40 s) in the first minute, then 23 more spread over the next nine minutes.
    assert.ok(call() && call());
    for (let minute = 1; minute <= 9; minute++) {
      clock.set(Date.UTC(2026, 4, 14, 10, 5 + minute, 20));
      for (let i = 0; i < (minute <= 5 ? 3 : 2); i++) assert.ok(call(), `minute ${minute}`);
    }
    const status = limiter.status(key, method);
    assert.equal(status.operating, 500, '25 calls pass: 480 s is not yet "over" before the 25th');
    assert.equal(status.blocked, true);
    assert.equal(call(), false, 'the 26th is refused');
    assert.equal(
      status.resetAt,
      Date.UTC(2026, 4, 14, 10, 15, 20) / 1000,
      'first call 10:05:20 → reset at 10:15:20, as in the docs',
    );
    assert.equal(limiter.status(key, 'other.method').blocked, false, 'other methods are unaffected');
    assert.equal(limiter.status('app:2', method).blocked, false, 'other apps are unaffected');
    clock.set(Date.UTC(2026, 4, 14, 10, 15, 20));
    const after = limiter.status(key, method);
    assert.equal(after.operating, 460, 'the oldest basket (40 s) expired');
    assert.equal(after.blocked, false);
    assert.equal(after.resetAt, Date.UTC(2026, 4, 14, 10, 16, 20) / 1000, 'the next basket is now the oldest');
    assert.equal(call(), true);
  });

  it('calls within a minute of the basket start share it; a later call opens a new one', () => {
    const clock = new ManualClock(0);
    const limiter = new LocalOperatingTime(100, clock);
    limiter.record('k', 'm', 1);
    clock.advance(59_999);
    limiter.record('k', 'm', 1);
    clock.advance(1);
    limiter.record('k', 'm', 1);
    clock.set(600_000);
    assert.equal(limiter.status('k', 'm').operating, 1, 'the first basket (2 s) expired at 10:00, the second not yet');
    clock.set(660_000);
    assert.equal(limiter.status('k', 'm').operating, 0);
  });

  it('a limit of 0 never blocks', () => {
    const limiter = new LocalOperatingTime(0, new ManualClock());
    limiter.record('k', 'm', 10_000);
    assert.equal(limiter.status('k', 'm').blocked, false);
  });
});

/** A clock whose monotonic reading moves `stepMs` every time it is read: every call takes measurable time. */
class SlowClock extends ManualClock {
  private hrMs = 0;
  constructor(private readonly stepMs: number) {
    super();
  }
  override hr(): number {
    this.hrMs += this.stepMs;
    return this.hrMs;
  }
}

describe('limits: operating time over REST', () => {
  it('a method trips 429 OPERATION_TIME_LIMIT at the configured limit while other methods still work', async () => {
    const clock = new SlowClock(10_000); // each call measures 10 s of operating time
    const server = await startTestServer({ clock, config: { limits: 'standard', operatingLimitSec: 30 } });
    try {
      const operating: number[] = [];
      for (let i = 0; i < 4; i++) {
        const res = await server.call('server.time');
        assert.equal(res.status, 200, `call ${i + 1}`);
        operating.push(res.body.time.operating);
        assert.equal(res.body.time.operating_reset_at, Math.floor(clock.now() / 1000) + 600);
      }
      assert.deepEqual(operating, [10, 20, 30, 40], '30 s is not over the limit; the call that crosses it completes');
      const blocked = await server.call('server.time');
      assert.equal(blocked.status, 429);
      assert.deepEqual(blocked.body, {
        error: 'OPERATION_TIME_LIMIT',
        error_description: 'Method is blocked due to operation time limit.',
      });
      const other = await server.call('user.current');
      assert.equal(other.status, 200, 'another method still works');
      assert.equal(other.body.time.operating, 10);
      const batch = await server.call('batch', { cmd: { a: 'server.time', b: 'user.current' } });
      assert.equal(batch.status, 200, 'the outer batch is not accounted');
      assert.equal(batch.body.result.result_error.a.error, 'OPERATION_TIME_LIMIT', 'its commands are');
      assert.ok(batch.body.result.result.b);
      clock.advance(600_000);
      const again = await server.call('server.time');
      assert.equal(again.status, 200, 'the baskets expired after 10 minutes');
      assert.equal(again.body.time.operating, 10);
    } finally {
      await server.close();
    }
  });

  it('B24_LIMITS=off: no operating limit either', async () => {
    const config = { ...loadConfig({ B24_LIMITS: 'off', LOG_LEVEL: 'silent' }), operatingLimitSec: 30 };
    const server = await startTestServer({ clock: new SlowClock(10_000), config });
    try {
      for (let i = 0; i < 10; i++) assert.equal((await server.call('server.time')).status, 200);
    } finally {
      await server.close();
    }
  });
});
