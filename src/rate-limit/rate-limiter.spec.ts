import { RateLimiter } from './rate-limiter';

describe('rate limiter', () => {
  let now = 1_000_000;
  const clock = () => now;

  it('allows the limit in a window, then answers the seconds to wait', () => {
    const l = new RateLimiter(20, clock);
    for (let i = 0; i < 20; i++) expect(l.take('a')).toBeUndefined();
    const wait = l.take('a');
    expect(wait).toBeGreaterThanOrEqual(1);
    expect(wait).toBeLessThanOrEqual(60);
  });

  it('keeps callers apart', () => {
    const l = new RateLimiter(1, clock);
    expect(l.take('a')).toBeUndefined();
    expect(l.take('b')).toBeUndefined();
    expect(l.take('a')).toBeDefined();
  });

  it('weights the previous window: no double burst at a boundary', () => {
    const l = new RateLimiter(10, clock);
    for (let i = 0; i < 10; i++) l.take('a');
    now += 60_000; // a new window starts; the previous one still fully overlaps
    expect(l.take('a')).toBeDefined();
    now += 30_000; // half of it overlaps: 5 of 10 left
    let allowed = 0;
    while (l.take('a') === undefined) allowed++;
    expect(allowed).toBe(5);
  });

  it('forgets after two quiet windows, and survives a clock that moves backwards', () => {
    const l = new RateLimiter(1, clock);
    l.take('a');
    now += 150_000;
    expect(l.take('a')).toBeUndefined();
    now -= 500_000;
    expect(l.take('a')).toBeUndefined();
  });

  it('is off at 0', () => {
    expect(new RateLimiter(0, clock).enabled).toBe(false);
  });
});
