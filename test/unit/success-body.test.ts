import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { successBody, timeBlock } from '../../src/wire/envelope.ts';

// successBody writes the envelope by hand (P1); it must be the bytes JSON.stringify gives for the same envelope.
describe('wire: the success envelope as written', () => {
  it('is JSON.stringify of {result, next, total, time} for any result, page and time', () => {
    const span = fc
      .record({ startMs: fc.integer({ min: 0, max: 4e12 }), took: fc.double({ min: 0, max: 1e6, noNaN: true }) })
      .chain(({ startMs, took }) =>
        fc.record({
          startMs: fc.constant(startMs),
          finishMs: fc.constant(startMs + took),
          processingMs: fc.double({ min: 0, max: took, noNaN: true }),
        }),
      );
    const operating = fc.option(
      fc.record({ operating: fc.double({ min: 0, max: 1e4, noNaN: true }), resetAt: fc.integer({ min: 0 }) }),
      { nil: undefined },
    );
    const count = fc.option(fc.nat(), { nil: undefined });
    fc.assert(
      fc.property(
        fc.option(fc.jsonValue(), { nil: undefined }),
        span,
        operating,
        count,
        count,
        (result, s, op, total, next) => {
          const expected = JSON.stringify({ result, next, total, time: timeBlock(s, op) });
          assert.equal(successBody(result, s, op, total, next), expected);
        },
      ),
    );
  });

  it('writes the time fields as JSON.stringify writes them, for the times calls take', () => {
    // Today's clock, and answers from a microsecond to minutes: each field is written from whole microseconds.
    const near = fc.constantFrom(0, 0.0004, 0.0005, 0.001, 0.5, 1, 999.9995, 1000);
    const span = fc
      .record({
        startMs: fc.integer({ min: 1.7e12, max: 2.1e12 }),
        took: fc.oneof(near, fc.double({ min: 0, max: 5, noNaN: true }), fc.double({ min: 0, max: 3e5, noNaN: true })),
        share: fc.double({ min: 0, max: 1, noNaN: true }),
      })
      .map(({ startMs, took, share }) => ({ startMs, finishMs: startMs + took, processingMs: took * share }));
    fc.assert(
      fc.property(span, (s) => {
        assert.equal(successBody(true, s), JSON.stringify({ result: true, time: timeBlock(s) }));
      }),
      { numRuns: 20_000 },
    );
  });
});
