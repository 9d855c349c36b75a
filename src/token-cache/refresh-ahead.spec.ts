import { EcrAuthError } from '../errors/ecr-auth.error';
import { deferred } from '../../test/fixtures/deferred';
import type { RefreshOutcome } from './fleet-observer';
import { AheadJob, RefreshAhead } from './refresh-ahead';

const SETTINGS = { refreshBufferMs: 300_000, minTtlMs: 60_000 };
const HOUR = 3600_000;

const started: Array<RefreshAhead<string>> = [];
afterEach(() => started.splice(0).forEach((a) => a.stop()));

/** A scheduler on a clock the test moves; refreshes are settled by the test. */
function world(enabled = true) {
  let now = 0;
  const outcomes: RefreshOutcome[] = [];
  const dropped: string[] = [];
  const runs: Array<{ key: string; job: AheadJob<string>; done: ReturnType<typeof deferred<void>> }> = [];
  const ahead = new RefreshAhead<string>({
    enabled,
    settings: SETTINGS,
    clock: () => now,
    maxKeys: 3,
    tickMs: 60_000, // the spec calls tick() itself
    refresh: (key, job) => {
      const done = deferred<void>();
      runs.push({ key, job, done });
      return done.promise;
    },
    drop: (key) => void dropped.push(key),
    observe: (o) => void outcomes.push(o),
  });
  const settle = () => new Promise((r) => setImmediate(r));
  started.push(ahead);
  return { ahead, outcomes, dropped, runs, settle, at: (ms: number) => void (now = ms) };
}

describe('RefreshAhead', () => {
  const entry = { mintedAt: 0, expiresAt: HOUR };
  const refreshTime = HOUR - 300_000;

  it('re-mints an entry requested since its mint at its refresh time, not before', async () => {
    const w = world();
    w.ahead.track('k', 'mint-k', entry);
    w.ahead.touch('k');
    w.at(refreshTime - 1);
    w.ahead.tick();
    expect(w.runs).toHaveLength(0);
    w.at(refreshTime);
    w.ahead.tick();
    expect(w.runs.map((r) => [r.key, r.job.mint])).toEqual([['k', 'mint-k']]);
    w.runs[0].done.resolve();
    await w.settle();
    expect(w.outcomes).toEqual(['refreshed']);
  });

  it('lets an entry nobody asked for since its mint go at its refresh time', () => {
    const w = world();
    w.ahead.track('k', 'mint-k', entry);
    w.at(refreshTime);
    w.ahead.tick();
    expect(w.runs).toHaveLength(0);
    expect(w.outcomes).toEqual(['skipped_idle']);
    w.at(HOUR);
    w.ahead.tick();
    expect(w.outcomes).toEqual(['skipped_idle']);
  });

  it('a new entry starts idle again: once requests stop, one more refresh at most', async () => {
    const w = world();
    w.ahead.track('k', 'm', entry);
    w.ahead.touch('k');
    w.at(refreshTime);
    w.ahead.tick();
    w.ahead.track('k', 'm', { mintedAt: refreshTime, expiresAt: refreshTime + HOUR });
    w.runs[0].done.resolve();
    await w.settle();
    w.at(refreshTime * 2 + 1);
    w.ahead.tick();
    expect(w.runs).toHaveLength(1);
    expect(w.outcomes).toEqual(['refreshed', 'skipped_idle']);
  });

  it('a request that finds the entry due starts the refresh at once, and only one', () => {
    const w = world();
    w.ahead.track('k', 'm', entry);
    w.at(refreshTime + 10);
    w.ahead.due('k', 'm', entry);
    w.ahead.due('k', 'm', entry);
    w.ahead.tick();
    expect(w.runs).toHaveLength(1);
  });

  it('an outage is tried again with back-off; requests meanwhile do not start another', async () => {
    const w = world();
    w.ahead.due('k', 'm', entry);
    w.at(refreshTime);
    w.runs[0].done.reject(new EcrAuthError('UPSTREAM_UNAVAILABLE', 'down'));
    await w.settle();
    expect(w.outcomes).toEqual(['failed']);
    w.ahead.due('k', 'm', entry);
    w.at(refreshTime + 999);
    w.ahead.tick();
    expect(w.runs).toHaveLength(1);
    w.at(refreshTime + 1000);
    w.ahead.tick();
    expect(w.runs).toHaveLength(2);
    w.runs[1].done.reject(new EcrAuthError('UPSTREAM_TIMEOUT', 'slow'));
    await w.settle();
    w.at(refreshTime + 1000 + 1999);
    w.ahead.tick();
    expect(w.runs).toHaveLength(2);
    w.at(refreshTime + 3000);
    w.ahead.tick();
    expect(w.runs).toHaveLength(3);
    expect(w.dropped).toEqual([]);
  });

  it('a refusal drops the entry: it is not served again, nor refreshed', async () => {
    const w = world();
    w.ahead.due('k', 'm', entry);
    w.runs[0].done.reject(new EcrAuthError('ASSUME_ROLE_DENIED', 'no'));
    await w.settle();
    expect(w.dropped).toEqual(['k']);
    w.at(HOUR);
    w.ahead.tick();
    expect(w.runs).toHaveLength(1);
  });

  it('follows at most maxKeys keys (the oldest is let go); evicted keys are forgotten', () => {
    const w = world();
    for (const k of ['a', 'b', 'c', 'd']) {
      w.ahead.track(k, k, entry);
      w.ahead.touch(k);
    }
    w.ahead.forget('c');
    w.at(refreshTime);
    w.ahead.tick();
    expect(w.runs.map((r) => r.key).sort()).toEqual(['b', 'd']);
  });

  it('off, or stopped: nothing is followed or refreshed', () => {
    for (const w of [world(false), world()]) {
      w.ahead.stop();
      w.ahead.track('k', 'm', entry);
      w.ahead.due('k', 'm', entry);
      w.at(HOUR);
      w.ahead.tick();
      expect(w.runs).toHaveLength(0);
      expect(w.ahead.enabled).toBe(false);
    }
  });
});
