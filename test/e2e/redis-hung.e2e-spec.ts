import { randomBytes } from 'node:crypto';
import { AwsEmulator } from '../emulator/aws-emulator';
import { seedWorld } from '../fixtures/aws-world';
import { redisTopologies, SingleRedisHandle } from '../fixtures/redis-topologies';
import { until } from '../fixtures/wait';
import { bodyOf, FleetCustomer, fleetWorld, logLines, mintsOf, sharedCacheOf } from './fleet-world';
import { expectNoSecrets, Harness, issuedSecrets, startHarness } from './harness';

/**
 * A Redis that hangs (SIGSTOP: its connections stay open, nothing answers) under two replicas:
 * every request is answered while it is still frozen, each cold key costs one upstream round
 * trip, readiness stays 200 and says the tier is not up; once it answers again, they share.
 */
describe('the shared tier on a Redis that hangs', () => {
  const topologies = redisTopologies();
  const world = fleetWorld();
  const encryptionKey = randomBytes(32).toString('base64');
  const password = `hung-${randomBytes(12).toString('hex')}`;
  let emu: AwsEmulator;
  let redis: SingleRedisHandle;
  const replicas: Harness[] = [];
  let frozen = false;
  const freeze = (on: boolean) => {
    process.kill(redis.pid, on ? 'SIGSTOP' : 'SIGCONT');
    frozen = on;
  };

  beforeAll(async () => {
    emu = await AwsEmulator.start();
    seedWorld(emu);
    redis = await topologies.withPassword(password);
    const env = {
      ECR_AUTH_REDIS_URL: redis.url.replace('redis://', `redis://default:${password}@`),
      ECR_AUTH_CACHE_ENCRYPTION_KEY: encryptionKey,
    };
    for (let i = 0; i < 2; i++) replicas.push(await startHarness({ emulator: emu, env }));
  });
  afterAll(async () => {
    if (frozen) freeze(false);
    for (const h of replicas) await h.close();
    logLines(replicas); // every line is JSON
    expectNoSecrets(
      replicas.flatMap((h) => h.logs),
      [...issuedSecrets(emu), ...world.customers.map((c) => c.externalId), encryptionKey, password],
    );
    await emu.close();
  });

  /** Concurrent requests for each key on both replicas; every answer. */
  const burst = (keys: readonly FleetCustomer[]) =>
    Promise.all(
      keys.flatMap((c) => replicas.map(async (h) => ({ c, res: await h.post('/registry-auth', bodyOf(c)) }))),
    );

  it('frozen: warm and cold keys answered while it is still frozen, one mint per cold key and replica, readiness 200 and not `up`; thawed: `up` and sharing again', async () => {
    for (const h of replicas) expect(await sharedCacheOf(h)).toEqual({ status: 200, sharedCache: 'up' });
    const warm = world.addCustomers(emu, 2, 3);
    const before = await burst(warm);
    expect(before.map((a) => a.res.status)).toEqual([200, 200, 200, 200]);

    freeze(true);
    try {
      emu.clearCalls();
      // Warm keys: from each replica's memory, the token it answered before.
      for (const [i, { c, res }] of before.entries()) {
        const again = await replicas[i % 2].post('/registry-auth', bodyOf(c));
        expect(again.status).toBe(200);
        expect(again.json.password).toBe(res.json.password);
      }
      expect(emu.calls).toEqual([]);

      // Cold keys, one replica each: one upstream round trip per key, the answer not held by
      // the write of the fresh entry to the frozen Redis.
      const cold = world.addCustomers(emu, 4, 4);
      for (const [i, c] of cold.entries()) {
        const res = await replicas[i % 2].post('/registry-auth', bodyOf(c));
        expect(res.status).toBe(200);
        expect(frozen).toBe(true);
        expect(mintsOf(emu, c)).toEqual({ assumeRole: 1, ecr: 1 });
      }
      for (const h of replicas) {
        const state = await sharedCacheOf(h);
        expect(state.status).toBe(200);
        expect(state.sharedCache).not.toBe('up');
      }
    } finally {
      freeze(false);
    }

    await until(async () => {
      await burst(world.addCustomers(emu, 1, 5));
      return (await Promise.all(replicas.map(sharedCacheOf))).every((s) => s.sharedCache === 'up');
    }, 20_000);
    const after = world.addCustomers(emu, 3, 6);
    emu.clearCalls();
    const answers = await burst(after);
    expect(answers.filter((a) => a.res.status !== 200)).toEqual([]);
    for (const c of after) expect(mintsOf(emu, c)).toEqual({ assumeRole: 1, ecr: 1 });
  }, 60_000);
});
