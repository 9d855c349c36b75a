import { backoffDelay } from './backoff';

describe('backoffDelay', () => {
  const base = { firstMs: 100, maxMs: 2000 };

  it.each([
    [1, 100],
    [2, 200],
    [3, 400],
    [5, 1600],
    [6, 2000],
    [1000, 2000],
  ])('without jitter, attempt %i waits %i ms (doubling, capped)', (attempt, ms) => {
    expect(backoffDelay(attempt, { ...base, jitter: 'none' })).toBe(ms);
  });

  it('full jitter stays in [0, ceiling)', () => {
    expect(backoffDelay(3, { ...base, jitter: 'full' }, () => 0)).toBe(0);
    expect(backoffDelay(3, { ...base, jitter: 'full' }, () => 0.999999)).toBe(399);
  });

  it('spread jitter stays within a quarter of the ceiling', () => {
    expect(backoffDelay(3, { ...base, jitter: 'spread' }, () => 0)).toBe(300);
    expect(backoffDelay(3, { ...base, jitter: 'spread' }, () => 0.999999)).toBe(499);
  });

  it('treats attempt 0 or less as the first', () => {
    expect(backoffDelay(0, { ...base, jitter: 'none' })).toBe(100);
  });
});
