import { DueQueue } from './due-queue';
import { afterFailedRefresh, atRefreshTime } from './refresh-ahead.policy';

const SETTINGS = { refreshBufferMs: 300_000, minTtlMs: 60_000 };
const ENTRY = { mintedAt: 0, expiresAt: 3600_000 };
const RETRY = { firstDelayMs: 1000, maxDelayMs: 8000 };

describe('atRefreshTime', () => {
  it.each([
    [true, 'refresh'],
    [false, 'skip-idle'],
  ] as const)('requested since its mint: %s → %s', (requested, action) =>
    expect(atRefreshTime(requested)).toBe(action),
  );
});

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

describe('DueQueue', () => {
  it('yields due keys earliest first, each once; a reschedule replaces the earlier time', () => {
    const q = new DueQueue();
    q.schedule('c', 30);
    q.schedule('a', 10);
    q.schedule('b', 20);
    q.schedule('a', 25);
    expect(q.take(9)).toEqual([]);
    expect(q.take(24)).toEqual(['b']);
    expect(q.take(100)).toEqual(['a', 'c']);
    expect(q.take(100)).toEqual([]);
    expect(q.size).toBe(0);
  });

  it('a key cancelled, then scheduled again, surfaces at its new time only', () => {
    const q = new DueQueue();
    q.schedule('a', 10);
    q.cancel('a');
    q.schedule('a', 20);
    expect(q.take(15)).toEqual([]);
    expect(q.take(20)).toEqual(['a']);
  });

  it('a cancelled key is never yielded', () => {
    const q = new DueQueue();
    for (let i = 0; i < 50; i++) q.schedule(`k${i}`, 50 - i);
    q.cancel('k10');
    const due = q.take(1000);
    expect(due).toHaveLength(49);
    expect(due).not.toContain('k10');
    expect(due[0]).toBe('k49');
  });
});
