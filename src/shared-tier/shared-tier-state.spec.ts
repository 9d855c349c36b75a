import { itWith, REDIS_SERVER } from '../../test/fixtures/outside-tools';
import { createClient } from 'redis';
import { LOGIN, privateRedis, redisTiers } from '../../test/fixtures/redis-tiers';
import { events, until } from '../../test/fixtures/wait';
import { NO_SHARED_TIER } from './shared-tier.port';

/** Far past any test's timeout: an answer under it did not wait for it. */
const NEVER = 600_000;
const withPrivateRedis = itWith(REDIS_SERVER);

/** What the tier reports (readiness shows it): up only while its calls succeed. */
describe('SharedTier state', () => {
  const { tier, key, logs } = redisTiers();

  it('off without Redis', () => {
    expect(NO_SHARED_TIER.state()).toBe('off');
  });

  withPrivateRedis('degraded while a frozen Redis (SIGSTOP) lets calls time out; up once one succeeds', async () => {
    const redis = await privateRedis();
    redis.start();
    try {
      const a = tier({ url: redis.url, getTimeoutMs: 50, connectTimeoutMs: NEVER });
      await until(() => a.whenReady(NEVER));
      expect(a.state()).toBe('up');
      redis.freeze(true);
      expect(await a.get(key())).toBeUndefined();
      expect(a.state()).toBe('degraded');
      redis.freeze(false);
      await until(async () => (await a.get(key()), a.state() === 'up'));
      expect(a.state()).toBe('up');
    } finally {
      redis.freeze(false);
      redis.kill();
    }
  });

  withPrivateRedis('degraded while Redis refuses its commands (NOPERM); up once they are allowed', async () => {
    const redis = await privateRedis();
    redis.start();
    const admin = createClient({ url: redis.url });
    admin.on('error', () => undefined);
    try {
      await until(() =>
        admin.connect().then(
          () => true,
          () => false,
        ),
      );
      await admin.sendCommand(['ACL', 'SETUSER', 'limited', 'on', '>pw', '~*', '&*', '+@all', '-mget']);
      const url = redis.url.replace('redis://', 'redis://limited:pw@');
      const a = tier({ url, getTimeoutMs: NEVER });
      await until(() => a.whenReady(NEVER));
      expect(await a.get(key())).toBeUndefined();
      expect(await a.get(key())).toBeUndefined();
      expect(a.state()).toBe('degraded');
      // A configuration error: one ERROR line per cause, naming the command and where the rule is.
      const errors = logs.filter((l) => l.level === 'error');
      expect(errors).toHaveLength(1);
      expect(errors[0].message).toContain('the ACL user lacks the command MGET');
      expect(errors[0].message).toContain('docs/caching.md');
      await admin.sendCommand(['ACL', 'SETUSER', 'limited', '+mget']);
      const k = key();
      await a.set(k, LOGIN, 60_000, []);
      expect(a.state()).toBe('up');
      expect(await a.get(k)).toEqual(LOGIN);
    } finally {
      admin.destroy();
      redis.kill();
    }
  });

  withPrivateRedis('down while Redis is unreachable', async () => {
    const redis = await privateRedis();
    redis.start();
    try {
      const a = tier({ url: redis.url, maxReconnectDelayMs: 200 });
      await until(() => a.whenReady(NEVER));
      const lost = events(a.connections.client, 'error');
      redis.kill();
      await lost;
      expect(a.state()).toBe('down');
    } finally {
      redis.kill();
    }
  });
});
