import { afterFailedRefresh } from './refresh-ahead.policy';

const SETTINGS = { refreshBufferMs: 300_000, minTtlMs: 60_000 };
const ENTRY = { mintedAt: 0, expiresAt: 3600_000 };
const RETRY = { firstMs: 1000, maxMs: 8000, jitter: 'none' } as const;

describe('afterFailedRefresh', () => {
  const outage = { servesStale: true, code: 'UPSTREAM_UNAVAILABLE' } as const;
  const now = 3300_000; // the refresh time
  it.each([
    [1, now + 1000],
    [2, now + 2000],
    [3, now + 4000],
    [4, now + 8000],
    [9, now + 8000],
  ])('an outage, failure %i: tried again at %i (doubling, capped)', (failures, at) =>
    expect(afterFailedRefresh(outage, failures, ENTRY, now, SETTINGS, RETRY)).toBe(at),
  );

  it.each(['ASSUME_ROLE_DENIED', 'ECR_ACCESS_DENIED', 'INVALID_REQUEST'] as const)(
    'not an outage (%s): the entry is dropped',
    (code) => expect(afterFailedRefresh({ servesStale: false, code }, 1, ENTRY, now, SETTINGS, RETRY)).toBe('drop'),
  );

  it('an outage whose next try would fall past the last servable moment: dropped', () => {
    const lastServable = ENTRY.expiresAt - SETTINGS.minTtlMs;
    expect(afterFailedRefresh(outage, 4, ENTRY, lastServable - 8000, SETTINGS, RETRY)).toBe('drop');
    expect(afterFailedRefresh(outage, 4, ENTRY, lastServable - 8001, SETTINGS, RETRY)).toBe(lastServable - 1);
  });
});
