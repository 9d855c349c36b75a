import { createClient } from 'redis';
import { createServer } from 'node:net';
import { hasRedisServer, LOGIN, privateRedis, redisTiers, until } from '../../test/fixtures/redis-tiers';
import { describeUrl } from './redis-connection';

const DEAD_URL = 'redis://ecr-user:s3cret-redis-pass@127.0.0.1:6390';

/** The tier through its connections' states: unreachable, starting, closed, lost and back, paused. */
describe('RedisTier connections', () => {
  const { logs, tier, key } = redisTiers();

  it('with Redis unreachable: misses at once, skips writes, evicts nothing, says down, never throws', async () => {
    const dead = tier({ url: DEAD_URL });
    expect(await dead.whenReady(2000)).toBe(false); // at once: the first attempt was refused
    expect(dead.state()).toBe('down');
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      expect(await dead.get(key())).toBeUndefined();
      expect(performance.now() - started).toBeLessThan(300);
    }
    expect(() => dead.set(key(), LOGIN, 60_000, ['registry:x'])).not.toThrow();
    expect(await dead.evict('registry:x')).toBe(0);
    const closing = performance.now();
    await dead.close();
    expect(performance.now() - closing).toBeLessThan(1500);
    expect(dead.state()).toBe('down');

    // Logged once per connection, without the URL's password.
    const warnings = logs.filter((l) => l.level === 'warn');
    expect(warnings.length).toBeGreaterThanOrEqual(1);
    expect(warnings.length).toBeLessThanOrEqual(2);
    expect(warnings[0].message).toMatch(/unavailable at redis:\/\/127\.0\.0\.1:6390 .*ECONNREFUSED/);
    expect(logs.map((l) => l.message).join('\n')).not.toContain('s3cret-redis-pass');
  });

  it('answers a first get during start-up within its bound', async () => {
    const a = tier();
    const started = performance.now();
    await a.get(key());
    expect(performance.now() - started).toBeLessThan(300);
  });

  it('bounds a get during start-up against a server that never answers', async () => {
    // It accepts connections and never answers: the connection never gets ready.
    const server = createServer(() => undefined);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    try {
      const silent = tier({ url: `redis://127.0.0.1:${port}`, getTimeoutMs: 50, connectTimeoutMs: 5000 });
      const started = performance.now();
      expect(await silent.get(key())).toBeUndefined();
      expect(performance.now() - started).toBeLessThan(300);
      expect(silent.state()).toBe('down');
      await silent.close();
    } finally {
      server.close();
    }
  });

  it('is closed after close(): no-ops, and close is idempotent', async () => {
    const a = tier();
    await a.whenReady();
    await a.close();
    await a.close();
    expect(a.state()).toBe('down');
    expect(await a.get(key())).toBeUndefined();
    expect(() => a.set(key(), LOGIN, 1000, [])).not.toThrow();
    expect(await a.evict('registry:x')).toBe(0);
  });

  const withPrivateRedis = hasRedisServer ? it : it.skip;

  withPrivateRedis('goes down with its Redis and comes back up when it returns', async () => {
    const redis = await privateRedis();
    redis.start();
    try {
      const a = tier({ url: redis.url, maxReconnectDelayMs: 200 });
      await until(async () => a.state() === 'up', 5000);
      const k = key();
      a.set(k, LOGIN, 60_000, []);
      await until(async () => (await a.get(k)) !== undefined);

      redis.kill();
      await until(async () => a.state() === 'down');
      const started = performance.now();
      expect(await a.get(k)).toBeUndefined();
      expect(performance.now() - started).toBeLessThan(50);
      expect(() => a.set(k, LOGIN, 60_000, [])).not.toThrow();
      expect(await a.evict('registry:x')).toBe(0);

      redis.start();
      await until(async () => a.state() === 'up', 10_000);
      a.set(k, LOGIN, 60_000, []); // the restarted server is empty
      await until(async () => (await a.get(k)) !== undefined);
      expect(await a.get(k)).toEqual(LOGIN);
      // One line per state change of the main connection: up, down, up.
      const main = logs.filter((l) => /^shared cache (connected|unavailable)/.test(l.message)).map((l) => l.level);
      expect(main).toEqual(['log', 'warn', 'log']);
    } finally {
      redis.kill();
    }
  });

  withPrivateRedis('bounds every operation when a connected Redis stops answering', async () => {
    const redis = await privateRedis();
    redis.start();
    const admin = createClient({ url: redis.url, socket: { reconnectStrategy: 50 } });
    admin.on('error', () => undefined);
    try {
      await until(
        async () =>
          admin.connect().then(
            () => true,
            () => false,
          ),
        5000,
      );
      const a = tier({ url: redis.url, getTimeoutMs: 50, setTimeoutMs: 100, evictTimeoutMs: 100 });
      expect(await a.whenReady(5000)).toBe(true);
      // Every client but this one hangs for a second.
      await admin.sendCommand(['CLIENT', 'PAUSE', '1000', 'ALL']);
      const started = performance.now();
      expect(await a.get(key())).toBeUndefined();
      expect(await a.evict('registry:x')).toBe(0);
      a.set(key(), LOGIN, 60_000, ['registry:x']);
      expect(performance.now() - started).toBeLessThan(500);
      expect(a.state()).toBe('up'); // connected, only slow: the next calls try again
      const failures = logs.filter((l) => /^shared cache (get|evict|set) failed/.test(l.message));
      expect(failures).toHaveLength(1);
      expect(failures[0].message).toMatch(/no answer within 50 ms/);
      await admin.sendCommand(['CLIENT', 'UNPAUSE']);
    } finally {
      admin.destroy();
      redis.kill();
    }
  });
});

describe('describeUrl', () => {
  it('names the server without its credentials', () => {
    expect(describeUrl('rediss://user:p%40ss@cache.internal:6380/2')).toEqual({
      target: 'rediss://cache.internal:6380/2',
      password: 'p@ss',
    });
    expect(describeUrl('redis://127.0.0.1:6379')).toEqual({ target: 'redis://127.0.0.1:6379', password: undefined });
    expect(describeUrl('not a url').target).toBe('(unparseable Redis URL)');
  });
});
