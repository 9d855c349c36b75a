import { itWith, REDIS_SERVER } from '../../test/fixtures/outside-tools';
import { createClient } from 'redis';
import { createServer } from 'node:net';
import { closedPort } from '../../test/fixtures/ports';
import { LOGIN, privateRedis, redisTiers } from '../../test/fixtures/redis-tiers';
import { events, until } from '../../test/fixtures/wait';

/**
 * Bounds far past any test's timeout: an operation that answers under one did not wait for
 * it, so no test measures time.
 */
const NEVER = 600_000;

/** The tier through its connections' states: unreachable, starting, closed, lost and back, paused. */
describe('RedisTier connections', () => {
  const { logs, tier, key } = redisTiers();

  it('with Redis unreachable: misses at once, skips writes, evicts nothing, says down, never throws', async () => {
    const port = await closedPort();
    const dead = tier({
      url: `redis://ecr-user:s3cret-redis-pass@127.0.0.1:${port}`,
      getTimeoutMs: NEVER,
      evictTimeoutMs: NEVER,
      closeTimeoutMs: NEVER,
    });
    expect(await dead.whenReady(NEVER)).toBe(false); // the first attempt was refused
    expect(dead.state()).toBe('down');
    for (let i = 0; i < 5; i++) expect(await dead.get(key())).toBeUndefined();
    expect(() => dead.set(key(), LOGIN, 60_000, ['registry:x'])).not.toThrow();
    expect(await dead.evict('registry:x', Date.now())).toEqual({ deleted: 0, keys: [] });
    await dead.close();
    expect(dead.state()).toBe('down');

    // Logged once per connection, without the URL's password.
    const warnings = logs.filter((l) => l.level === 'warn');
    expect(warnings.length).toBeGreaterThanOrEqual(1);
    expect(warnings.length).toBeLessThanOrEqual(2);
    expect(warnings[0].message).toMatch(new RegExp(`unavailable at redis://127\\.0\\.0\\.1:${port} .*ECONNREFUSED`));
    expect(logs.map((l) => l.message).join('\n')).not.toContain('s3cret-redis-pass');
  });

  it('answers a first get during start-up from Redis: it waits for the connection, within its bound', async () => {
    const a = tier();
    expect(await a.whenReady(NEVER)).toBe(true);
    const k = key();
    void a.set(k, LOGIN, 60_000, []);
    await until(async () => (await a.get(k)) !== undefined);
    const starting = tier({ getTimeoutMs: NEVER });
    expect(starting.state()).toBe('down');
    expect(await starting.get(k)).toEqual(LOGIN);
  });

  it('bounds a get during start-up against a server that never answers', async () => {
    // It accepts connections and never answers: the connection never gets ready.
    const server = createServer(() => undefined);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    try {
      // The connect attempt outlasts the test: only the get's own bound can answer it.
      const silent = tier({ url: `redis://127.0.0.1:${port}`, getTimeoutMs: 50, connectTimeoutMs: NEVER });
      expect(await silent.get(key())).toBeUndefined();
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
    expect(await a.evict('registry:x', Date.now())).toEqual({ deleted: 0, keys: [] });
  });

  const withPrivateRedis = itWith(REDIS_SERVER);

  withPrivateRedis('goes down with its Redis and comes back up when it returns', async () => {
    const redis = await privateRedis();
    redis.start();
    try {
      const a = tier({ url: redis.url, maxReconnectDelayMs: 200, getTimeoutMs: NEVER });
      await until(async () => a.state() === 'up');
      const k = key();
      void a.set(k, LOGIN, 60_000, []);
      await until(async () => (await a.get(k)) !== undefined);

      const down = events(a.connections.client, 'error');
      redis.kill();
      await down;
      expect(a.state()).toBe('down');
      expect(await a.get(k)).toBeUndefined(); // at once: its bound is NEVER
      expect(() => a.set(k, LOGIN, 60_000, [])).not.toThrow();
      expect(await a.evict('registry:x', Date.now())).toEqual({ deleted: 0, keys: [] });

      const up = events(a.connections.client, 'ready');
      redis.start();
      await up;
      void a.set(k, LOGIN, 60_000, []); // the restarted server is empty
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
      await until(async () =>
        admin.connect().then(
          () => true,
          () => false,
        ),
      );
      const a = tier({ url: redis.url, getTimeoutMs: 50, setTimeoutMs: 100, evictTimeoutMs: 100 });
      expect(await a.whenReady(NEVER)).toBe(true);
      // Every client hangs past the test (the server is killed paused): only the operations' own
      // bounds answer them.
      await admin.sendCommand(['CLIENT', 'PAUSE', String(NEVER), 'ALL']);
      expect(await a.get(key())).toBeUndefined();
      expect(await a.evict('registry:x', Date.now())).toEqual({ deleted: 0, keys: [] });
      void a.set(key(), LOGIN, 60_000, ['registry:x']);
      expect(a.state()).toBe('degraded'); // connected, but its calls time out
      const failures = logs.filter((l) => /^shared cache (get|evict|set) failed/.test(l.message));
      expect(failures).toHaveLength(1);
      expect(failures[0].message).toMatch(/no answer within 50 ms/);
    } finally {
      admin.destroy();
      redis.kill();
    }
  });
});
