import { createKeyv } from '@cacheable/memory';
import { createCache } from 'cache-manager';
import { EcrAuthError } from '../errors/ecr-auth.error';
import type { MintIdentity } from '../mint/mint.types';
import { deferred } from '../../test/fixtures/deferred';
import type { RefreshOutcome } from '../shared-tier/fleet-observer';
import { KeyRecords, RefreshState } from './key-records';
import { RefreshAhead } from './refresh-ahead';

const SETTINGS = { refreshBufferMs: 300_000, minTtlMs: 60_000 };
const HOUR = 3600_000;

const started: RefreshAhead[] = [];
afterEach(() => started.splice(0).forEach((a) => a.stop()));

/** A scheduler over real records on a clock the test moves; refreshes are settled by the test. */
function world(enabled = true, maxKeys = 3) {
  let now = 0;
  const outcomes: RefreshOutcome[] = [];
  const dropped: string[] = [];
  const runs: Array<{ key: string; state: RefreshState; done: ReturnType<typeof deferred<void>> }> = [];
  const cache = createCache({ stores: [createKeyv({ lruSize: maxKeys, useClone: false, storeHashSize: 1 })] });
  const records = new KeyRecords(cache, (e) => e.expiresAt - now > SETTINGS.minTtlMs);
  const ahead = new RefreshAhead({
    enabled,
    settings: SETTINGS,
    clock: () => now,
    records,
    tickMs: 60_000, // the spec calls tick() itself
    refresh: (key, state) => {
      const done = deferred<void>();
      runs.push({ key, state, done });
      return done.promise;
    },
    drop: (key) => void dropped.push(key),
    observe: (o) => void outcomes.push(o),
  });
  const settle = () => new Promise((r) => setImmediate(r));
  started.push(ahead);
  const remint = (name: string) => ({
    identity: { name } as unknown as MintIdentity,
    mint: () => Promise.reject(new Error(name)),
  });
  /** Stores an entry for `key` and follows it. */
  const track = async (key: string, entry = { mintedAt: 0, expiresAt: HOUR }) => {
    const record = await records.put(key, { ...entry, username: 'AWS', password: key }, [], HOUR);
    ahead.track(record, remint(key));
    return record;
  };
  const record = async (key: string) => (await records.get(key))!;
  return {
    ahead,
    records,
    outcomes,
    dropped,
    runs,
    settle,
    track,
    record,
    remint,
    at: (ms: number) => void (now = ms),
  };
}

describe('RefreshAhead', () => {
  const refreshTime = HOUR - 300_000;

  it('re-mints an entry requested since its mint at its refresh time, not before', async () => {
    const w = world();
    w.ahead.touch(await w.track('k'));
    w.at(refreshTime - 1);
    w.ahead.tick();
    expect(w.runs).toHaveLength(0);
    w.at(refreshTime);
    w.ahead.tick();
    expect(w.runs.map((r) => [r.key, (r.state.identity as unknown as { name: string }).name])).toEqual([['k', 'k']]);
    w.runs[0].done.resolve();
    await w.settle();
    expect(w.outcomes).toEqual(['refreshed']);
  });

  it('lets an entry nobody asked for since its mint go at its refresh time', async () => {
    const w = world();
    await w.track('k');
    w.at(refreshTime);
    w.ahead.tick();
    expect(w.runs).toHaveLength(0);
    expect(w.outcomes).toEqual(['skipped_idle']);
    expect((await w.record('k')).refresh).toBeUndefined();
    w.at(HOUR - 60_001);
    w.ahead.tick();
    expect(w.outcomes).toEqual(['skipped_idle']);
  });

  it('a new entry starts idle again: once requests stop, one more refresh at most', async () => {
    const w = world();
    w.ahead.touch(await w.track('k'));
    w.at(refreshTime);
    w.ahead.tick();
    await w.track('k', { mintedAt: refreshTime, expiresAt: refreshTime + HOUR });
    w.runs[0].done.resolve();
    await w.settle();
    w.at(refreshTime * 2 + 1);
    w.ahead.tick();
    expect(w.runs).toHaveLength(1);
    expect(w.outcomes).toEqual(['refreshed', 'skipped_idle']);
  });

  it('a request that finds the entry due starts the refresh at once, and only one', async () => {
    const w = world();
    const record = await w.track('k');
    w.at(refreshTime + 10);
    w.ahead.due('k', record, w.remint('k'));
    w.ahead.due('k', record, w.remint('k'));
    w.ahead.tick();
    expect(w.runs).toHaveLength(1);
  });

  it('an outage is tried again with back-off; requests meanwhile do not start another', async () => {
    const w = world();
    const record = await w.track('k');
    w.at(refreshTime);
    w.ahead.due('k', record, w.remint('k'));
    w.runs[0].done.reject(new EcrAuthError('UPSTREAM_UNAVAILABLE', 'down'));
    await w.settle();
    expect(w.outcomes).toEqual(['failed']);
    w.ahead.due('k', record, w.remint('k'));
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
    const record = await w.track('k');
    w.ahead.due('k', record, w.remint('k'));
    w.runs[0].done.reject(new EcrAuthError('ASSUME_ROLE_DENIED', 'no'));
    await w.settle();
    expect(w.dropped).toEqual(['k']);
    w.at(refreshTime);
    w.ahead.tick();
    expect(w.runs).toHaveLength(1);
  });

  it('an entry that ran out on the clock is still let go or given up, never refreshed on every tick', async () => {
    const w = world();
    w.ahead.touch(await w.track('k'));
    await w.track('idle');
    w.at(HOUR - 60_000); // no servable life left
    w.ahead.tick();
    expect(w.outcomes).toEqual(['skipped_idle']);
    expect(w.runs.map((r) => r.key)).toEqual(['k']);
    w.runs[0].done.reject(new EcrAuthError('UPSTREAM_UNAVAILABLE', 'down'));
    await w.settle();
    expect(w.dropped).toEqual(['k']);
    w.ahead.tick();
    expect(w.runs).toHaveLength(1);
  });

  it('follows what the store holds: its bound and its deletes let keys go with their entries', async () => {
    const w = world(true, 3);
    for (const k of ['a', 'b', 'c', 'd']) w.ahead.touch(await w.track(k));
    await w.records.delete('c');
    w.at(refreshTime);
    w.ahead.tick();
    expect(w.runs.map((r) => r.key).sort()).toEqual(['b', 'd']);
  });

  it('off, or stopped: nothing is followed or refreshed', async () => {
    for (const w of [world(false), world()]) {
      w.ahead.stop();
      const record = await w.track('k');
      w.ahead.due('k', record, w.remint('k'));
      w.at(refreshTime);
      w.ahead.tick();
      expect(w.runs).toHaveLength(0);
      expect(w.ahead.enabled).toBe(false);
    }
  });
});
