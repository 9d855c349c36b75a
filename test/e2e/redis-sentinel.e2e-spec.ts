import { randomBytes } from 'node:crypto';
import { AwsEmulator } from '../emulator/aws-emulator';
import { seedWorld } from '../fixtures/aws-world';
import { RedisSentinelHandle, redisTopologies } from '../fixtures/redis-topologies';
import {
  bodyOf,
  FleetCustomer,
  fleetWorld,
  loadUntil,
  logLines,
  mintsOf,
  sharedCacheOf,
  untilSharedCacheUp,
} from './fleet-world';
import { expectNoSecrets, Harness, issuedSecrets, startHarness } from './harness';

/**
 * Two replicas of the service on a master, its replica and three Sentinels of the test's own
 * (ECR_AUTH_REDIS_MODE=sentinel), with passwords on the data nodes: one mint per key, and a
 * promotion under load that costs no failed request.
 */
describe('the shared tier on a Sentinel-managed master', () => {
  const topologies = redisTopologies();
  const world = fleetWorld();
  const encryptionKey = randomBytes(32).toString('base64');
  const password = `sentinel-data-${randomBytes(12).toString('hex')}`;
  let emu: AwsEmulator;
  let sentinel: RedisSentinelHandle;
  const replicas: Harness[] = [];

  beforeAll(async () => {
    emu = await AwsEmulator.start();
    seedWorld(emu);
    sentinel = await topologies.sentinel({ replicas: 1, sentinels: 3, quorum: 2, password });
    const env = {
      ECR_AUTH_REDIS_MODE: 'sentinel',
      ECR_AUTH_REDIS_SENTINELS: sentinel.sentinelRootNodes.map((n) => `${n.host}:${n.port}`).join(','),
      ECR_AUTH_REDIS_SENTINEL_MASTER: sentinel.masterName,
      // Only the user and password of this URL are used: for the data nodes.
      ECR_AUTH_REDIS_URL: `redis://default:${password}@localhost`,
      ECR_AUTH_CACHE_ENCRYPTION_KEY: encryptionKey,
    };
    for (let i = 0; i < 2; i++) replicas.push(await startHarness({ emulator: emu, env }));
  }, 60_000);
  afterAll(async () => {
    for (const h of replicas) await h.close();
    logLines(replicas); // every line is JSON
    expectNoSecrets(
      replicas.flatMap((h) => h.logs),
      [...issuedSecrets(emu), ...world.customers.map((c) => c.externalId), encryptionKey, password],
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
  const expectOneMintPerKey = async (keys: readonly FleetCustomer[]) => {
    emu.clearCalls();
    const answers = await burst(keys, 8);
    expect(answers.filter((a) => a.res.status !== 200)).toEqual([]);
    for (const c of keys) {
      expect(mintsOf(emu, c)).toEqual({ assumeRole: 1, ecr: 1 });
      expect(new Set(answers.filter((a) => a.c === c).map((a) => a.res.json.password)).size).toBe(1);
    }
  };

  let warm: FleetCustomer[] = [];

  it('both replicas report the shared tier up, and a cold burst is one mint per key across them', async () => {
    for (const h of replicas) expect(await sharedCacheOf(h)).toEqual({ status: 200, sharedCache: 'up' });
    warm = world.addCustomers(emu, 6, 3);
    await expectOneMintPerKey(warm);
  });

  it('the master SIGKILLed under load: the Sentinels promote its replica, every request answers 200, and the replicas share again', async () => {
    const fresh = world.addCustomers(emu, 400, 4);
    let next = 0;
    let turn = 0;
    const key = () => (turn++ % 2 === 0 ? warm[turn % warm.length] : fresh[next++ % fresh.length]);
    const old = await sentinel.master();
    const promotion = (async () => {
      await sentinel.killMaster();
      return sentinel.waitForPromotion();
    })();
    const statuses = await loadUntil(replicas, key, promotion);
    const promoted = await promotion;
    expect(promoted.port).not.toBe(old.port);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);

    // `up` again once the tier has followed the promotion and its calls succeed.
    await untilSharedCacheUp(replicas, key, 30_000);
    await expectOneMintPerKey(world.addCustomers(emu, 6, 5));
  }, 60_000);
});
