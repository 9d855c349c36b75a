import { createClient } from 'redis';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { RedisTier } from '../../src/shared-tier/redis-tier';
import { SHARED_TIER, SharedTier } from '../../src/shared-tier/shared-tier.port';
import { AwsEmulator } from '../emulator/aws-emulator';
import { seedWorld, WORLD, WORLD_SECRETS } from '../fixtures/aws-world';
import { closedPort } from '../fixtures/ports';
import { TEST_REDIS_URL as REDIS_URL } from '../fixtures/test-redis';
import { events, until } from '../fixtures/wait';
import { expectNoSecrets, Harness, issuedSecrets, startHarness } from './harness';

/**
 * Two replicas sharing one Redis (the tests', ECR_AUTH_TEST_REDIS_URL) and one AWS.
 * Each run has its own encryption key (hence its own cache keys) and its own customer role
 * (hence its own eviction labels), so runs on the same Redis do not meet; it deletes only
 * what it wrote (entries, their locks and tombstones, its index), never the whole database.
 */
const ENCRYPTION_KEY = randomBytes(32).toString('base64');
const RUN = randomUUID().slice(0, 8);
const CUSTOMER = {
  arn: `arn:aws:iam::222222222222:role/shared-cache-${RUN}`,
  externalId: `shared-cache-ext-${randomUUID()}`,
  registry: WORLD.customer.registry,
};
const body = () => ({ registry: CUSTOMER.registry, roleArn: CUSTOMER.arn, externalId: CUSTOMER.externalId });
const indexKey = (label: string) => `ecr-auth:idx:${createHash('sha256').update(label).digest('hex')}`;

describe('shared cache (Redis) across replicas', () => {
  const redis = createClient({ url: REDIS_URL });
  let emu: AwsEmulator;
  let a: Harness;
  let b: Harness;
  /** The cache keys (`tok:…`) of this run's entries. */
  const written = new Set<string>();

  beforeAll(async () => {
    await redis.connect();
    emu = await AwsEmulator.start();
    seedWorld(emu);
    emu.addRole({ arn: CUSTOMER.arn, trust: [{ principal: WORLD.jump.arn, externalId: CUSTOMER.externalId }] });
    const env = { ECR_AUTH_REDIS_URL: REDIS_URL, ECR_AUTH_CACHE_ENCRYPTION_KEY: ENCRYPTION_KEY };
    a = await startHarness({ emulator: emu, env });
    b = await startHarness({ emulator: emu, env });
  });

  afterAll(async () => {
    for (const h of [a, b]) {
      expectNoSecrets(h?.logs ?? [], [...issuedSecrets(emu), CUSTOMER.externalId]);
      await h?.close();
    }
    // Only what this run wrote: its index, the entries it names, their locks and the
    // tombstones its eviction left.
    const index = indexKey(`role:${CUSTOMER.arn}`);
    for (const k of await redis.sMembers(index)) written.add(k);
    if (written.size) {
      const keys = [...written];
      // One hash tag per entry: value, lock and tombstone (each DEL stays in one slot).
      for (const k of keys) await redis.del([`ecr-auth:{${k}}`, `ecr-auth:{${k}}:lock`, `ecr-auth:{${k}}:tomb`]);
      // The registry's index is shared with other runs: take out only this run's keys.
      await redis.sRem(indexKey(`registry:${CUSTOMER.registry}`), keys);
    }
    await redis.del(index);
    await redis.close();
    await emu.close();
  });

  /** Waits until A's fire-and-forget write of this run's entry has landed; its Redis key. */
  async function entryInRedis(): Promise<string> {
    let member: string | undefined;
    await until(async () => {
      [member] = await redis.sMembers(indexKey(`role:${CUSTOMER.arn}`));
      return member !== undefined && (await redis.exists(`ecr-auth:{${member}}`)) === 1;
    });
    written.add(member!);
    return `ecr-auth:{${member!}}`;
  }

  it('both replicas report the shared cache up', async () => {
    for (const h of [a, b]) {
      const res = await h.get('/health/ready');
      expect(res.status).toBe(200);
      expect(res.json.sharedCache).toBe('up');
    }
  });

  it('the second replica serves the token the first minted, without calling AWS', async () => {
    const first = await a.post('/registry-auth', body());
    expect(first.status).toBe(200);
    expect(emu.callsOf('ecr', 'GetAuthorizationToken')).toHaveLength(1);
    await entryInRedis();

    emu.clearCalls();
    const second = await b.post('/registry-auth', body());
    expect(second.status).toBe(200);
    expect(emu.calls).toEqual([]);
    expect(second.json.password).toBe(first.json.password);
    expect(second.json.expiresAt).toBe(first.json.expiresAt);
  });

  it('Redis holds no token, secret or external ID in clear', async () => {
    const { password } = (await b.post('/registry-auth', body())).json;
    const entry = await entryInRedis();
    expect(entry).toMatch(/^ecr-auth:\{tok:[A-Za-z0-9_-]{43}\}$/);
    expect(await redis.get(entry)).toMatch(/^v1\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);

    const secrets = [password, ...WORLD_SECRETS, ...issuedSecrets(emu), CUSTOMER.externalId, ENCRYPTION_KEY];
    // An ECR token is base64 of "AWS:<password>": neither form may be stored.
    for (const t of emu.issuedEcrTokens()) secrets.push(Buffer.from(`AWS:${t.secret}`).toString('base64'));
    let scanned = 0;
    for await (const batch of redis.scanIterator({ MATCH: 'ecr-auth:*', COUNT: 1000 })) {
      for (const name of batch) {
        const type = await redis.type(name);
        const content =
          type === 'set'
            ? (await redis.sMembers(name)).join('\n')
            : type === 'string'
              ? String(await redis.get(name))
              : '';
        for (const secret of secrets) {
          if (name.includes(secret) || content.includes(secret))
            throw new Error(`a secret (${secret.slice(0, 4)}…) is stored in clear under ${name}`);
        }
        expect(content).not.toContain(CUSTOMER.arn);
        scanned++;
      }
    }
    expect(scanned).toBeGreaterThanOrEqual(3); // this run's entry and its two label indexes at least
  });

  it('an eviction on one replica makes the other mint again (its in-process entry is dropped too)', async () => {
    // B holds the entry in process (it read it from Redis above).
    emu.clearCalls();
    expect((await b.post('/registry-auth', body())).status).toBe(200);
    expect(emu.calls).toEqual([]);

    const label = `role:${CUSTOMER.arn}`;
    for (const k of await redis.sMembers(indexKey(label))) written.add(k); // its tombstones, for the clean-up
    const received = new Promise<void>((resolve) =>
      b.app.get<symbol, SharedTier>(SHARED_TIER).onRemoteEvict((e) => e.label === label && resolve()),
    );
    const evicted = await a.delete('/registry-auth/cache', { roleArn: CUSTOMER.arn });
    expect(evicted.status).toBe(200);
    expect(evicted.json.evicted).toBeGreaterThanOrEqual(1);
    expect(await redis.exists(indexKey(`role:${CUSTOMER.arn}`))).toBe(0);

    // The message reaches B asynchronously: once it has, B mints again.
    await received;
    emu.clearCalls();
    expect((await b.post('/registry-auth', body())).status).toBe(200);
    expect(emu.callsOf('sts', 'AssumeRole').some((c) => c.params.RoleArn === CUSTOMER.arn)).toBe(true);
    expect(emu.callsOf('ecr', 'GetAuthorizationToken')).toHaveLength(1);
  });

  it('a replica whose Redis is unreachable serves cold and warm requests, and stays ready', async () => {
    const port = await closedPort();
    const c = await startHarness({
      emulator: emu,
      env: { ECR_AUTH_REDIS_URL: `redis://127.0.0.1:${port}`, ECR_AUTH_CACHE_ENCRYPTION_KEY: ENCRYPTION_KEY },
    });
    const { client, subscriber } = c.app.get<symbol, RedisTier>(SHARED_TIER).connections;
    // A few reconnect attempts of both connections, counted from now.
    const reconnects = Promise.all([events(client, 'reconnecting', 3), events(subscriber, 'reconnecting', 3)]);
    try {
      const ready = await c.get('/health/ready');
      expect(ready.status).toBe(200);
      expect(ready.json.sharedCache).toBe('down');

      emu.clearCalls();
      const cold = await c.post('/registry-auth', body());
      expect(cold.status).toBe(200);
      expect(emu.callsOf('ecr', 'GetAuthorizationToken')).toHaveLength(1);

      emu.clearCalls();
      const warm = await c.post('/registry-auth', body());
      expect(warm.status).toBe(200);
      expect(warm.json.password).toBe(cold.json.password);
      expect(emu.calls).toEqual([]);

      const evicted = await c.delete('/registry-auth/cache', { roleArn: CUSTOMER.arn });
      expect(evicted.status).toBe(200);
      expect(evicted.json.evicted).toBe(1); // its own memory only
      expect((await c.get('/health/ready')).status).toBe(200);

      // One warning per connection for the outage, not one per request or per reconnect attempt.
      // (Nest's framework logger is process-wide: with several apps in one test process, the
      // line may land in another harness's log.)
      await reconnects;
      const warnings = [...a.logs, ...b.logs, ...c.logs].filter(
        (l) => l.includes('"SharedCache"') && l.includes(`127.0.0.1:${port}`),
      );
      expect(warnings.map((l) => JSON.parse(l).level)).toEqual([40, 40]); // main connection and eviction channel
      expectNoSecrets(c.logs, [...issuedSecrets(emu), CUSTOMER.externalId]);
    } finally {
      await c.close();
    }
  });
});
