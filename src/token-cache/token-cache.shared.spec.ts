import { cacheWorld as world, HOUR, identity, REGISTRY, ROLE, stopCaches } from '../../test/fixtures/token-cache-world';
import type { CachedLogin } from '../shared-tier/cached-login';
import type { RemoteEviction } from '../shared-tier/redis-eviction';
import type { SharedTier } from '../shared-tier/shared-tier.port';
import type { CacheKeys } from './cache-key';

afterEach(stopCaches);

/** The TokenCache in front of a shared tier (one the test holds), refresh-ahead on and off. */
describe.each([
  ['refresh-ahead on (the default)', true],
  ['refresh-ahead off', false],
])('TokenCache with a shared tier, %s', (_mode, on) => {
  const cacheWorld = (shared: SharedTier, keys?: CacheKeys) => world({ shared, keys, refreshAhead: on });

  /** A strict shared tier: records writes, answers only what the test put in it. */
  function sharedTier() {
    const held = new Map<string, CachedLogin>();
    const writes: Array<{ key: string; ttlMs: number; labels: readonly string[] }> = [];
    const evictions: string[] = [];
    const labelled: Array<{ key: string; label: string }> = [];
    let remote: ((eviction: RemoteEviction) => void) | undefined;
    const tier: SharedTier = {
      get: (key) => Promise.resolve(held.get(key)),
      set: (key, value, ttlMs, labels) => (
        writes.push({ key, ttlMs, labels }),
        held.set(key, value),
        Promise.resolve()
      ),
      label: (key, label) => void labelled.push({ key, label }),
      evict: (label) => (evictions.push(label), Promise.resolve({ deleted: 7, keys: [] })),
      onRemoteEvict: (listener) => void (remote = listener),
      acquire: () => Promise.resolve('unavailable'),
      peek: () => Promise.resolve('unavailable'),
      state: () => 'up',
      whenReady: () => Promise.resolve(true),
      close: () => Promise.resolve(),
    };
    return {
      tier,
      held,
      writes,
      evictions,
      labelled,
      remoteEvict: (label: string, keys: string[] = []) => remote?.({ label, keys }),
    };
  }

  it('writes a minted entry through with its store TTL and labels, and answers from it elsewhere', async () => {
    const s = sharedTier();
    const a = cacheWorld(s.tier);
    await a.cache.get(identity(), a.mint());
    expect(s.writes).toEqual([
      { key: a.keys.token(identity()), ttlMs: HOUR - 60_000, labels: [`registry:${REGISTRY}`, `role:${ROLE}`] },
    ]);
    // Another replica (same keys: they derive from the shared secret) finds it there.
    const b = cacheWorld(s.tier, a.keys);
    const hit = await b.cache.get(identity(), b.unexpected);
    expect(hit).toMatchObject({ outcome: 'hit', login: { password: 'token-1' } });
    expect(s.writes).toHaveLength(1); // read from the shared tier, not written back
  });

  it('evicts in the shared tier too, answering the larger count', async () => {
    const s = sharedTier();
    const w = cacheWorld(s.tier);
    await w.cache.get(identity(), w.mint());
    expect(await w.cache.evict(`role:${ROLE}`)).toBe(7);
    expect(s.evictions).toEqual([`role:${ROLE}`]);
  });

  it('drops its own entry when another replica evicts the label', async () => {
    const s = sharedTier();
    const w = cacheWorld(s.tier);
    await w.cache.get(identity(), w.mint());
    s.held.clear();
    s.remoteEvict(`role:${ROLE}`);
    // The listener drops asynchronously; the in-process store settles within one turn.
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect((await w.cache.get(identity(), w.mint())).outcome).toBe('miss');
  });
});
