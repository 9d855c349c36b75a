import { itWith, REDIS_SERVER } from '../../test/fixtures/outside-tools';
import { createClient } from 'redis';
import { LOGIN, privateRedis, redisSettingsOf, redisTiers } from '../../test/fixtures/redis-tiers';
import { until } from '../../test/fixtures/wait';

const withPrivateRedis = itWith(REDIS_SERVER);
/** Far past any test's timeout: an answer under it did not wait for it. */
const NEVER = 600_000;

/** A Redis that answers but refuses the tier: one ERROR line naming the setting, `degraded`. */
describe('RedisTier refused by its Redis', () => {
  const { tier, key, logs } = redisTiers();
  const errors = () => logs.filter((l) => l.level === 'error');

  withPrivateRedis('a replica as ECR_AUTH_REDIS_URL: READONLY names the primary endpoint', async () => {
    const [primary, replica] = [await privateRedis(), await privateRedis()];
    primary.start();
    replica.start();
    const admin = createClient({ url: replica.url });
    admin.on('error', () => undefined);
    try {
      await until(() =>
        admin.connect().then(
          () => true,
          () => false,
        ),
      );
      const { port } = new URL(primary.url);
      await admin.sendCommand(['REPLICAOF', '127.0.0.1', port]);
      const a = tier({ url: replica.url, getTimeoutMs: NEVER, setTimeoutMs: NEVER });
      expect(await a.whenReady(NEVER)).toBe(true);
      for (let i = 0; i < 3; i++) await a.set(key(), LOGIN, 60_000, ['registry:ro']);
      expect(errors()).toHaveLength(1);
      expect(errors()[0].message).toContain('ECR_AUTH_REDIS_URL names a replica: use the primary endpoint');
      expect(a.state()).toBe('degraded');
    } finally {
      admin.destroy();
      primary.kill();
      replica.kill();
    }
  });

  withPrivateRedis('cluster mode against a node without cluster support: names standalone mode', async () => {
    const redis = await privateRedis();
    redis.start();
    try {
      const settings = redisSettingsOf({ ECR_AUTH_REDIS_MODE: 'cluster', ECR_AUTH_REDIS_URL: redis.url });
      const a = tier({ settings, getTimeoutMs: NEVER, maxReconnectDelayMs: 50 });
      await until(async () => errors().length > 0);
      expect(await a.whenReady(NEVER)).toBe(false);
      // Discovery is tried again (back-off): still one line.
      await new Promise<void>((resolve) => a.connections.client.once('error', () => resolve()));
      expect(errors()).toHaveLength(1);
      expect(errors()[0].message).toContain('this Redis is not a cluster: set ECR_AUTH_REDIS_MODE=standalone');
      expect(a.state()).toBe('degraded');
      expect(await a.get(key())).toBeUndefined();
    } finally {
      redis.kill();
    }
  });
});
