import { describeWith, REDIS_SERVER } from '../../test/fixtures/outside-tools';
import { LOGIN, redisSettingsOf, redisTiers } from '../../test/fixtures/redis-tiers';
import { RedisSentinelHandle, redisTopologies } from '../../test/fixtures/redis-topologies';
import { until } from '../../test/fixtures/wait';
import type { RemoteEviction } from './redis-eviction';
import type { RedisTier } from './redis-tier';

const describeSentinel = describeWith(REDIS_SERVER);
/** Far past any test's timeout: an answer under it did not wait for it. */
const NEVER = 600_000;

/** The tier on a master with a replica, watched by a Sentinel, all of the test's own. */
describeSentinel('RedisTier with Sentinel', () => {
  const topologies = redisTopologies();
  const { tier, key, logs } = redisTiers();
  let set: RedisSentinelHandle;
  let env: Record<string, string>;

  beforeAll(async () => {
    set = await topologies.sentinel({ replicas: 1, sentinels: 1 });
    env = {
      ECR_AUTH_REDIS_MODE: 'sentinel',
      ECR_AUTH_REDIS_SENTINELS: set.sentinelRootNodes.map((n) => `${n.host}:${n.port}`).join(','),
      ECR_AUTH_REDIS_SENTINEL_MASTER: set.masterName,
    };
  }, 120_000);

  async function replica(options: Parameters<typeof tier>[0] = {}): Promise<RedisTier> {
    const t = tier({ settings: redisSettingsOf(env), getTimeoutMs: 2000, evictTimeoutMs: 5000, ...options });
    expect(await t.whenReady(NEVER)).toBe(true);
    return t;
  }

  it('stores, reads and evicts through the master; the notice reaches the other replica', async () => {
    const [a, b] = [await replica(), await replica()];
    const label = `registry:${key()}`;
    const keys = [key(), key(), key()];
    await Promise.all(keys.map((k) => a.set(k, LOGIN, 60_000, [label])));
    for (const k of keys) expect(await b.get(k)).toEqual(LOGIN);
    const heard: RemoteEviction[] = [];
    a.onRemoteEvict((e) => void heard.push(e));
    expect((await b.evict(label, Date.now())).deleted).toBe(3);
    await until(async () => heard.length === 1);
    expect([...heard[0].keys].sort()).toEqual([...keys].sort());
    for (const k of keys) expect(await a.get(k)).toBeUndefined();
    expect([a.state(), b.state()]).toEqual(['up', 'up']);
    expect(logs.filter((l) => l.level !== 'log')).toEqual([]);
  });

  it('a promotion: calls fail soft, never throw; afterwards sharing works again, notices too', async () => {
    const [a, b] = [await replica({ getTimeoutMs: 200, setTimeoutMs: 500 }), await replica()];
    const keys = [key(), key(), key()];
    await Promise.all(keys.map((k) => a.set(k, LOGIN, 60_000, [])));
    const old = await set.killMaster();
    const promotion = set.waitForPromotion();
    let settled = false;
    void promotion.finally(() => (settled = true));
    while (!settled) {
      for (const k of keys) {
        await a.get(k);
        await a.set(k, LOGIN, 60_000, []);
      }
    }
    const promoted = await promotion;
    expect(promoted.port).not.toBe(old.port);

    const fresh = key();
    await until(async () => {
      await a.set(fresh, LOGIN, 60_000, ['registry:after']);
      return (await b.get(fresh)) !== undefined;
    }, 30_000);
    const heard: RemoteEviction[] = [];
    a.onRemoteEvict((e) => void heard.push(e));
    await until(async () => {
      await b.evict('registry:after', Date.now());
      return heard.length > 0;
    }, 30_000);
    await until(async () => (await a.get(key()), a.state() === 'up'), 30_000);
  }, 120_000);
});
