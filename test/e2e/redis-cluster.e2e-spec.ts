import { randomBytes } from 'node:crypto';
import type { RedisTier } from '../../src/shared-tier/redis-tier';
import { SHARED_TIER } from '../../src/shared-tier/shared-tier.port';
import { AwsEmulator } from '../emulator/aws-emulator';
import { seedWorld } from '../fixtures/aws-world';
import { RedisClusterHandle, redisTopologies } from '../fixtures/redis-topologies';
import { until } from '../fixtures/wait';
import {
  bodyOf,
  FleetCustomer,
  fleetWorld,
  loadUntil,
  logLines,
  mintsOf,
  sharedCacheOf,
  tierErrors,
  untilSharedCacheUp,
} from './fleet-world';
import { expectNoSecrets, Harness, issuedSecrets, startHarness } from './harness';

/**
 * Two replicas of the service on a Redis Cluster of 3 masters and 3 replicas of the test's own
 * (ECR_AUTH_REDIS_MODE=cluster, the seeds in ECR_AUTH_REDIS_URL) behave as one service: one
 * mint per key, eviction across replicas, a master killed under load without a failed request.
 */
describe('the shared tier on a Redis Cluster', () => {
  const topologies = redisTopologies();
  const world = fleetWorld();
  const encryptionKey = randomBytes(32).toString('base64');
  let emu: AwsEmulator;
  let cluster: RedisClusterHandle;
  let replicas: Harness[] = [];
  const started: Harness[] = [];

  const start = async (env: Record<string, string>, n: number): Promise<Harness[]> => {
    const list: Harness[] = [];
    for (let i = 0; i < n; i++) list.push(await startHarness({ emulator: emu, env }));
    started.push(...list);
    return list;
  };

  beforeAll(async () => {
    emu = await AwsEmulator.start();
    seedWorld(emu);
    cluster = await topologies.cluster();
    const seeds = cluster.rootNodes.map((n) => n.url).join(',');
    const env = {
      ECR_AUTH_REDIS_MODE: 'cluster',
      ECR_AUTH_REDIS_URL: seeds,
      ECR_AUTH_CACHE_ENCRYPTION_KEY: encryptionKey,
    };
    replicas = await start(env, 2);
  }, 60_000);
  afterAll(async () => {
    for (const h of started) await h.close();
    // Every line is JSON, and none carries a secret.
    logLines(started);
    expectNoSecrets(
      started.flatMap((h) => h.logs),
      [...issuedSecrets(emu), ...world.customers.map((c) => c.externalId), encryptionKey],
    );
    await emu.close();
  });

  /** `perKey` concurrent requests for each key, spread over the replicas; every answer. */
  const burst = (keys: readonly FleetCustomer[], perKey: number) =>
    Promise.all(
      Array.from({ length: keys.length * perKey }, async (_, i) => {
        const c = keys[i % keys.length];
        return { c, res: await replicas[i % replicas.length].post('/registry-auth', bodyOf(c)) };
      }),
    );

  let warm: FleetCustomer[] = [];

  it('both replicas report the shared tier up', async () => {
    for (const h of replicas) expect(await sharedCacheOf(h)).toEqual({ status: 200, sharedCache: 'up' });
  });

  it('a cold burst over 9 keys across two replicas: one customer AssumeRole and one ECR call per key, one token per key', async () => {
    warm = world.addCustomers(emu, 9, 3);
    emu.clearCalls();
    const answers = await burst(warm, 10);
    expect(answers.filter((a) => a.res.status !== 200)).toEqual([]);
    for (const c of warm) {
      expect(mintsOf(emu, c)).toEqual({ assumeRole: 1, ecr: 1 });
      expect(new Set(answers.filter((a) => a.c === c).map((a) => a.res.json.password)).size).toBe(1);
    }
  });

  it('an eviction on replica A reaches replica B: the key is minted again once across both, not a lease later', async () => {
    const [c] = warm;
    const before = (await replicas[1].post('/registry-auth', bodyOf(c))).json.password as string;
    const tierOfB = replicas[1].app.get<symbol, RedisTier>(SHARED_TIER);
    const heard = new Promise<void>((resolve) =>
      tierOfB.onRemoteEvict((e) => e.label === `role:${c.arn}` && resolve()),
    );
    const evicted = await replicas[0].delete('/registry-auth/cache', { roleArn: c.arn });
    expect(evicted.status).toBe(200);
    expect(evicted.json.evicted).toBeGreaterThanOrEqual(1);
    await heard;

    emu.clearCalls();
    // Both replicas at once: the key is minted once, by whichever took the lock, and both answer it.
    const answers = await burst([c], 6);
    expect(answers.map((a) => a.res.status)).toEqual(Array(6).fill(200));
    // The held customer session went too, on both replicas: the role is assumed again, so a
    // rotated external ID or a revoked trust is checked at once.
    expect(mintsOf(emu, c)).toEqual({ assumeRole: 1, ecr: 1 });
    const tokens = new Set(answers.map((a) => a.res.json.password));
    expect(tokens.size).toBe(1);
    expect(tokens.has(before)).toBe(false);
  });

  it('a master SIGKILLed under load: every request answers 200, and the replicas share again afterwards', async () => {
    const fresh = world.addCustomers(emu, 400, 4);
    let next = 0;
    let turn = 0;
    // Existing keys and new ones in turn, on both replicas, until the failover is over.
    const key = () => (turn++ % 2 === 0 ? warm[turn % warm.length] : fresh[next++ % fresh.length]);
    const failover = (async () => {
      await cluster.killMaster(0);
      return cluster.waitForFailover();
    })();
    const statuses = await loadUntil(replicas, key, failover);
    const masters = await failover;
    expect(masters).toHaveLength(3);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);

    // The tier says `up` again once its calls succeed on the new topology.
    await untilSharedCacheUp(replicas, key, 20_000);

    // Sharing again: new keys, in every slot range, each minted once across the replicas.
    const after = world.addCustomers(emu, 6, 5);
    emu.clearCalls();
    const answers = await burst(after, 6);
    expect(answers.filter((a) => a.res.status !== 200)).toEqual([]);
    for (const c of after) expect(mintsOf(emu, c)).toEqual({ assumeRole: 1, ecr: 1 });
  }, 60_000);

  it('standalone mode pointed at a cluster node: answers 200, `degraded`, one ERROR line that says to set ECR_AUTH_REDIS_MODE=cluster', async () => {
    const [node] = await cluster.masters();
    const earlier = started.map((x) => x.logs.length);
    const [h] = await start({ ECR_AUTH_REDIS_URL: node.url, ECR_AUTH_CACHE_ENCRYPTION_KEY: encryptionKey }, 1);
    // Entries and label indexes of six keys land in slots of every master: most are MOVED.
    const keys = world.addCustomers(emu, 6, 6);
    for (const c of keys) expect((await h.post('/registry-auth', bodyOf(c))).status).toBe(200);
    await until(async () => (await sharedCacheOf(h)).sharedCache === 'degraded');
    for (const c of keys) expect((await h.post('/registry-auth', bodyOf(c))).status).toBe(200);
    expect(await sharedCacheOf(h)).toEqual({ status: 200, sharedCache: 'degraded' });
    await h.close();

    // The lines written since this replica started (the process-wide logger may route them to any replica).
    const since = started.map((x, i) => ({ logs: x.logs.slice(earlier[i] ?? 0) }));
    const errors = tierErrors(logLines(since));
    expect(errors).toHaveLength(1);
    expect(errors[0].msg).toContain('ECR_AUTH_REDIS_MODE=cluster');
  });
});
