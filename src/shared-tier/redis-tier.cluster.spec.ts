import { describeWith, REDIS_SERVER } from '../../test/fixtures/outside-tools';
import { LOGIN, redisSettingsOf, redisTiers } from '../../test/fixtures/redis-tiers';
import { RedisClusterHandle, redisTopologies } from '../../test/fixtures/redis-topologies';
import { until } from '../../test/fixtures/wait';
import type { RemoteEviction } from './redis-eviction';
import type { RedisTier } from './redis-tier';

const describeCluster = describeWith(REDIS_SERVER);
/** Far past any test's timeout: an answer under it did not wait for it. */
const NEVER = 600_000;

/** The tier on a 3-master + 3-replica Redis Cluster of the test's own. */
describeCluster('RedisTier on a Redis Cluster', () => {
  const topologies = redisTopologies();
  const { tier, key, logs } = redisTiers();
  let cluster: RedisClusterHandle;
  let env: Record<string, string>;

  beforeAll(async () => {
    cluster = await topologies.cluster({ masters: 3, replicasPerMaster: 1, nodeTimeoutMs: 1000 });
    env = {
      ECR_AUTH_REDIS_MODE: 'cluster',
      ECR_AUTH_REDIS_URL: cluster.rootNodes.map((n) => n.url).join(','),
    };
  }, 120_000);

  async function replica(options: Parameters<typeof tier>[0] = {}): Promise<RedisTier> {
    const t = tier({ settings: redisSettingsOf(env), getTimeoutMs: 2000, evictTimeoutMs: 5000, ...options });
    expect(await t.whenReady(NEVER)).toBe(true);
    return t;
  }

  it('stores, reads, labels and evicts entries of every slot; the notice reaches the other replica', async () => {
    const [a, b] = [await replica(), await replica()];
    const label = `registry:${key()}`;
    const keys = Array.from({ length: 24 }, () => key());
    // The keys land on every master: the test would prove nothing otherwise.
    const owners = new Set(await Promise.all(keys.map(async (k) => (await cluster.nodeFor(a.valueKey(k))).port)));
    expect(owners.size).toBe(3);

    await Promise.all(keys.map((k) => a.set(k, LOGIN, 60_000, [label, `role:${k}`])));
    for (const k of keys) expect(await b.get(k)).toEqual(LOGIN);

    const heard: RemoteEviction[] = [];
    a.onRemoteEvict((e) => void heard.push(e));
    const evicted = await b.evict(label, Date.now());
    expect(evicted.deleted).toBe(keys.length);
    expect([...evicted.keys].sort()).toEqual([...keys].sort());
    await until(async () => heard.length === 1);
    expect([...heard[0].keys].sort()).toEqual([...keys].sort());
    for (const k of keys) expect(await a.get(k)).toBeUndefined();
    // A replay of an evicted value is refused by its tombstone (same slot as the value).
    await a.set(keys[0], { ...LOGIN, mintedAt: Date.now() - 60_000 }, 60_000, []);
    expect(await b.get(keys[0])).toBeUndefined();
    expect([a.state(), b.state()]).toEqual(['up', 'up']);
    expect(logs.filter((l) => l.level !== 'log')).toEqual([]);
  });

  it('the mint lock: one holder per key, released at once, then the other takes it', async () => {
    const [a, b] = [await replica(), await replica()];
    const k = key();
    const held = await a.acquire(k);
    expect(typeof held).toBe('object');
    expect(await b.acquire(k)).toBe('held');
    expect(await b.peek(k)).toEqual({ value: undefined, held: true });
    if (typeof held === 'object') await held.release();
    expect(await b.peek(k)).toEqual({ value: undefined, held: false });
    const second = await b.acquire(k);
    expect(typeof second).toBe('object');
    if (typeof second === 'object') await second.release();
  });

  it('standalone mode pointed at a cluster node: one ERROR line naming the fix, degraded', async () => {
    const a = tier({ url: cluster.rootNodes[0].url, getTimeoutMs: NEVER });
    expect(await a.whenReady(NEVER)).toBe(true);
    // Keys of every slot: most are served by other masters (MOVED).
    for (let i = 0; i < 12; i++) {
      const k = key();
      await a.set(k, LOGIN, 60_000, [`registry:${k}`]);
      await a.get(k);
    }
    const errors = logs.filter((l) => l.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0].message).toContain('this Redis is a cluster: set ECR_AUTH_REDIS_MODE=cluster');
    expect(a.state()).toBe('degraded');
  });

  it('a master SIGKILLed: calls fail soft, never throw; after the failover sharing works again', async () => {
    const [a, b] = [await replica({ getTimeoutMs: 200, setTimeoutMs: 500 }), await replica()];
    const keys = Array.from({ length: 12 }, () => key());
    await Promise.all(keys.map((k) => a.set(k, LOGIN, 60_000, [])));

    const killed = await cluster.killMaster(0);
    const seen = new Set<string>();
    const failover = cluster.waitForFailover();
    let settled = false;
    void failover.finally(() => (settled = true));
    // Under load through the failover: every call answers (a value or a miss), none throws.
    while (!settled) {
      for (const k of keys) {
        await a.get(k);
        await a.set(k, LOGIN, 60_000, []);
      }
      seen.add(a.state());
    }
    await failover;
    expect(killed.port).toBeGreaterThan(0);

    // The promoted replica serves the slots: writes and reads across replicas work again.
    const fresh = key();
    await until(async () => {
      await a.set(fresh, LOGIN, 60_000, []);
      return (await b.get(fresh)) !== undefined;
    }, 30_000);
    await until(async () => {
      for (const k of keys) await a.set(k, LOGIN, 60_000, []);
      const all = await Promise.all(keys.map((k) => b.get(k)));
      return all.every((v) => v !== undefined) && a.state() === 'up';
    }, 30_000);
    expect(a.state()).toBe('up');
    // Eviction notices too, whichever node carried the subscription before.
    const heard: RemoteEviction[] = [];
    a.onRemoteEvict((e) => void heard.push(e));
    await a.set(fresh, LOGIN, 60_000, ['registry:after-failover']);
    await until(async () => {
      await b.evict('registry:after-failover', Date.now());
      return heard.length > 0;
    }, 30_000);
  }, 120_000);
});
