import { createClient } from '@keyv/redis';
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import type { CachedLogin } from './cached-login';
import { describeUrl, RedisTier, RedisTierOptions } from './redis-tier';

/**
 * Against the real Redis at 127.0.0.1:6379 (REDIS_URL to override). Every run uses its own
 * key prefix and channel, and deletes only its own keys.
 */
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const DEAD_URL = 'redis://ecr-user:s3cret-redis-pass@127.0.0.1:6390';
const PREFIX = `ecr-auth-test-${randomUUID().slice(0, 8)}`;
const KEYS = [randomBytes(32)];
const LOGIN: CachedLogin = { username: 'AWS', password: `ecr-secret-${randomUUID()}`, expiresAt: Date.now() + 3600_000, mintedAt: Date.now() };

interface Captured {
  level: 'log' | 'warn';
  message: string;
}

describe('RedisTier', () => {
  const raw = createClient({ url: REDIS_URL });
  const tiers: RedisTier[] = [];
  const logs: Captured[] = [];
  const logger = { log: (m: unknown) => void logs.push({ level: 'log', message: String(m) }), warn: (m: unknown) => void logs.push({ level: 'warn', message: String(m) }) };

  const tier = (options: Partial<RedisTierOptions> = {}): RedisTier => {
    const t = new RedisTier({ url: REDIS_URL, encryptionKeys: KEYS, prefix: PREFIX, logger, ...options });
    tiers.push(t);
    return t;
  };
  const key = () => `tok:${randomBytes(32).toString('base64url')}`;

  beforeAll(async () => {
    await raw.connect();
  });
  afterEach(async () => {
    await Promise.all(tiers.splice(0).map((t) => t.close()));
    logs.length = 0;
  });
  afterAll(async () => {
    for await (const batch of raw.scanIterator({ MATCH: `${PREFIX}:*`, COUNT: 1000 })) if (batch.length) await raw.del(batch);
    await raw.close();
  });

  it('answers what it stored, to itself and to another replica', async () => {
    const a = tier();
    const b = tier();
    expect(await a.whenReady()).toBe(true);
    expect(a.state()).toBe('up');
    const k = key();
    a.set(k, LOGIN, 60_000, ['role:arn:aws:iam::222222222222:role/ecr-pull']);
    await until(async () => (await raw.exists(a.valueKey(k))) === 1);
    expect(await a.get(k)).toEqual(LOGIN);
    expect(await b.get(k)).toEqual(LOGIN);
    expect(await a.get(key())).toBeUndefined();
  });

  it('stores only the sealed value, with its TTL, under the HMAC key; the index outlives it', async () => {
    const a = tier();
    await a.whenReady();
    const k = key();
    const label = `role:arn:aws:iam::222222222222:role/sealed-${randomUUID()}`;
    a.set(k, LOGIN, 60_000, [label, 'registry:222222222222.dkr.ecr.eu-west-1.amazonaws.com']);
    await until(async () => (await raw.exists(a.valueKey(k))) === 1);

    const value = await raw.get(a.valueKey(k));
    expect(a.valueKey(k)).toBe(`${PREFIX}:${k}`);
    expect(value).toMatch(/^v1\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
    expect(value).not.toContain(LOGIN.password);
    expect(value).not.toContain(LOGIN.username);
    const ttl = await raw.pTTL(a.valueKey(k));
    expect(ttl).toBeGreaterThan(55_000);
    expect(ttl).toBeLessThanOrEqual(60_000);

    expect(a.indexKey(label)).toMatch(new RegExp(`^${PREFIX}:idx:[0-9a-f]{64}$`));
    expect(await raw.sMembers(a.indexKey(label))).toEqual([k]);
    expect(await raw.pTTL(a.indexKey(label))).toBeGreaterThanOrEqual(ttl);

    // Nothing of the login in any key or value of this run.
    for await (const batch of raw.scanIterator({ MATCH: `${PREFIX}:*`, COUNT: 1000 })) {
      for (const name of batch) {
        expect(name).not.toContain(LOGIN.password);
        const type = await raw.type(name);
        const content = type === 'set' ? (await raw.sMembers(name)).join('\n') : String(await raw.get(name));
        expect(content).not.toContain(LOGIN.password);
        expect(content).not.toContain(LOGIN.username);
        expect(content).not.toContain('arn:aws');
      }
    }
  });

  it('keeps an index alive as long as its longest-lived entry', async () => {
    const a = tier();
    await a.whenReady();
    const [long, short] = [key(), key()];
    a.set(long, LOGIN, 60_000, ['registry:idx-ttl.example']);
    await until(async () => (await raw.exists(a.valueKey(long))) === 1);
    a.set(short, LOGIN, 5_000, ['registry:idx-ttl.example']);
    await until(async () => (await raw.exists(a.valueKey(short))) === 1);
    expect(await raw.pTTL(a.indexKey('registry:idx-ttl.example'))).toBeGreaterThan(55_000);
  });

  it('reads a value moved to another key, tampered with or foreign as a miss', async () => {
    const a = tier();
    await a.whenReady();
    const [k, moved, tampered, foreign] = [key(), key(), key(), key()];
    a.set(k, LOGIN, 60_000, []);
    await until(async () => (await raw.exists(a.valueKey(k))) === 1);
    const sealed = String(await raw.get(a.valueKey(k)));

    await raw.set(a.valueKey(moved), sealed, { PX: 60_000 });
    const at = sealed.length - 5;
    await raw.set(a.valueKey(tampered), sealed.slice(0, at) + (sealed[at] === 'A' ? 'B' : 'A') + sealed.slice(at + 1), { PX: 60_000 });
    await raw.set(a.valueKey(foreign), JSON.stringify(LOGIN), { PX: 60_000 });
    expect(await a.get(moved)).toBeUndefined();
    expect(await a.get(tampered)).toBeUndefined();
    expect(await a.get(foreign)).toBeUndefined();

    // Another deployment (another encryption key) sharing the Redis reads nothing.
    const other = tier({ encryptionKeys: [randomBytes(32)] });
    await other.whenReady();
    expect(await other.get(k)).toBeUndefined();
    // A rotated replica ([new, old]) still reads it.
    const rotated = tier({ encryptionKeys: [randomBytes(32), ...KEYS] });
    await rotated.whenReady();
    expect(await rotated.get(k)).toEqual(LOGIN);
  });

  it('evicts by label: deletes the entries and the index, and tells the other replicas', async () => {
    const a = tier();
    const b = tier();
    await Promise.all([a.whenReady(), b.whenReady()]);
    const heardByA: string[] = [];
    const heardByB: string[] = [];
    a.onRemoteEvict((l) => heardByA.push(l));
    b.onRemoteEvict((l) => heardByB.push(l));

    const label = `role:arn:aws:iam::222222222222:role/evict-${randomUUID()}`;
    const [k1, k2, other] = [key(), key(), key()];
    a.set(k1, LOGIN, 60_000, [label, 'registry:evict.example']);
    b.set(k2, LOGIN, 60_000, [label]);
    a.set(other, LOGIN, 60_000, ['registry:evict.example']);
    await until(async () => (await raw.exists([a.valueKey(k1), a.valueKey(k2), a.valueKey(other)])) === 3);

    expect(await a.evict(label)).toBe(2);
    expect(await raw.exists([a.valueKey(k1), a.valueKey(k2), a.indexKey(label)])).toBe(0);
    expect(await a.get(other)).toEqual(LOGIN);
    await until(async () => heardByB.length > 0);
    expect(heardByB).toEqual([label]);
    expect(heardByA).toEqual([]); // its own message

    // Nothing left under the label: 0, and the others are still told.
    expect(await b.evict(label)).toBe(0);
    await until(async () => heardByA.length > 0);
    expect(heardByA).toEqual([label]);
  });

  it('ignores malformed eviction messages', async () => {
    const a = tier();
    await a.whenReady();
    const heard: string[] = [];
    a.onRemoteEvict((l) => heard.push(l));
    a.onRemoteEvict(() => {
      throw new Error('a failing listener does not stop the others');
    });
    for (const junk of ['not json', 'null', '{}', '{"label":42}', '{"label":""}', JSON.stringify({ label: 'x'.repeat(5000) })]) {
      await raw.publish(`${PREFIX}:evict`, junk);
    }
    await raw.publish(`${PREFIX}:evict`, JSON.stringify({ from: 'someone-else', label: 'registry:ok.example' }));
    await until(async () => heard.length > 0);
    expect(heard).toEqual(['registry:ok.example']);
  });

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

  /** A Redis of this test's own, on a free port, that it may kill and pause (never the shared one). */
  const hasRedisServer = spawnSync('redis-server', ['--version']).status === 0;
  const withPrivateRedis = hasRedisServer ? it : it.skip;
  const privateRedis = async () => {
    const port = await freePort();
    const url = `redis://127.0.0.1:${port}`;
    let server: ChildProcess | undefined;
    return {
      url,
      start: () => {
        server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
      },
      kill: () => {
        server?.kill('SIGKILL');
        server = undefined;
      },
    };
  };

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
      await until(async () => admin.connect().then(() => true, () => false), 5000);
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
    expect(describeUrl('rediss://user:p%40ss@cache.internal:6380/2')).toEqual({ target: 'rediss://cache.internal:6380/2', password: 'p@ss' });
    expect(describeUrl('redis://127.0.0.1:6379')).toEqual({ target: 'redis://127.0.0.1:6379', password: undefined });
    expect(describeUrl('not a url').target).toBe('(unparseable Redis URL)');
  });
});

async function until(check: () => Promise<boolean>, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}
