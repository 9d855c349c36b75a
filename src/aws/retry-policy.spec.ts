import fc from 'fast-check';
import { fullJitterDelay, retryAfterSeconds } from './retry-policy';

const SETTINGS = { minDelayMs: 100, maxDelayMs: 2000 };
const ALMOST_ONE = 1 - Number.EPSILON;

describe('fullJitterDelay', () => {
  // ceiling = min(max, min·2^(retry-1))
  it.each([
    [1, 100],
    [2, 200],
    [3, 400],
    [4, 800],
    [5, 1600],
    [6, 2000],
    [20, 2000],
  ])('retry %i waits from 0 up to below %i ms', (retry, ceiling) => {
    expect(fullJitterDelay(retry, SETTINGS, () => 0)).toBe(0);
    expect(fullJitterDelay(retry, SETTINGS, () => ALMOST_ONE)).toBe(ceiling - 1);
  });

  it('a random of one half waits half the ceiling', () => {
    expect(fullJitterDelay(3, SETTINGS, () => 0.5)).toBe(200);
  });

  it('retry 0 is treated as the first retry', () => {
    expect(fullJitterDelay(0, SETTINGS, () => ALMOST_ONE)).toBe(99);
  });

  it('is capped at the max even when min exceeds it', () => {
    expect(fullJitterDelay(1, { minDelayMs: 500, maxDelayMs: 300 }, () => ALMOST_ONE)).toBe(299);
  });

  it('is 0 when the min delay is 0', () => {
    expect(fullJitterDelay(5, { minDelayMs: 0, maxDelayMs: 2000 }, () => ALMOST_ONE)).toBe(0);
  });

  it('stays a whole number in [0, min(max, min·2^(n-1))) for any retry, bounds and random', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 64 }),
        fc.integer({ min: 1, max: 60000 }),
        fc.integer({ min: 1, max: 600000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (retry, minDelayMs, maxDelayMs, r) => {
          const delay = fullJitterDelay(retry, { minDelayMs, maxDelayMs }, () => r);
          expect(Number.isInteger(delay)).toBe(true);
          expect(delay).toBeGreaterThanOrEqual(0);
          expect(delay).toBeLessThan(Math.min(maxDelayMs, minDelayMs * 2 ** (retry - 1)));
        },
      ),
    );
  });

  it('uses Math.random by default, inside the bounds', () => {
    for (let i = 0; i < 50; i++) expect(fullJitterDelay(2, SETTINGS)).toBeLessThan(200);
  });
});

describe('retryAfterSeconds', () => {
  it.each([
    [0, 1],
    [1, 1],
    [999, 1],
    [1000, 1],
    [1001, 2],
    [2000, 2],
    [2500, 3],
    [600000, 600],
  ])('max delay %i ms → Retry-After %i s (the largest backoff, at least 1)', (maxDelayMs, seconds) => {
    expect(retryAfterSeconds({ maxDelayMs })).toBe(seconds);
  });
});
