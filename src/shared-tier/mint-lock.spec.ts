import { randomUUID } from 'node:crypto';
import { redisTiers } from '../../test/fixtures/redis-tiers';
import { until } from '../../test/fixtures/wait';
import type { RedisHeldLock } from './mint-lock';

/** The fleet's mint lock against a real Redis: the scripts as Redis runs them. */
describe('RedisMintLock', () => {
  const { tier, key, raw } = redisTiers();

  async function ready(leaseMs = 60_000) {
    const t = tier({ lockLeaseMs: leaseMs, lockTimeoutMs: 2000 });
    expect(await t.whenReady(5000)).toBe(true);
    return t;
  }

  const held = (lock: unknown): RedisHeldLock => {
    if (typeof lock === 'string') throw new Error(`lock not acquired: ${lock}`);
    return lock as RedisHeldLock;
  };

  it('acquires a key once; another holder is told "held"; release leaves no key', async () => {
    const [a, b] = [await ready(), await ready()];
    const k = key();
    const lock = held(await a.acquire(k));
    const lockKey = a.lock.lockKey(k);
    expect(await raw.exists(lockKey)).toBe(1);
    expect(await b.acquire(k)).toBe('held');
    expect(await b.peek(k)).toEqual({ value: undefined, held: true });
    await lock.release();
    expect(await raw.exists(lockKey)).toBe(0);
    expect(a.state()).toBe('up');
    expect(await b.peek(k)).toEqual({ value: undefined, held: false });
    held(await b.acquire(k));
  });

  it('renews the lease while its holder mints: the PTTL goes back up to a whole lease', async () => {
    const a = await ready(60_000);
    const k = key();
    const lock = held(await a.acquire(k));
    const lockKey = a.lock.lockKey(k);
    // As though a third of the lease had passed.
    await raw.pExpire(lockKey, 20_000);
    expect(await raw.pTTL(lockKey)).toBeLessThanOrEqual(20_000);
    expect(await lock.renew()).toBe(true);
    expect(await raw.pTTL(lockKey)).toBeGreaterThan(20_000);
    await lock.release();
  });

  it('the renewal timer renews by itself, every third of the lease', async () => {
    const a = await ready(300);
    const k = key();
    const lock = held(await a.acquire(k));
    const lockKey = a.lock.lockKey(k);
    await raw.pExpire(lockKey, 60_000);
    // Only the timer's renewal brings the lease back down to 300 ms: waited on as that change.
    await until(async () => (await raw.pTTL(lockKey)) <= 300);
    expect(await raw.get(lockKey)).not.toBeNull();
    await lock.release();
    expect(await raw.exists(lockKey)).toBe(0);
  });

  it('a lock another holder took is neither released nor renewed by a foreign token', async () => {
    const a = await ready(60_000);
    const k = key();
    const lock = held(await a.acquire(k));
    const lockKey = a.lock.lockKey(k);
    // The lease ran out and another replica took it.
    const other = randomUUID();
    await raw.set(lockKey, other, { expiration: { type: 'PX', value: 10_000 } });
    expect(await lock.renew()).toBe(false);
    expect(await raw.pTTL(lockKey)).toBeLessThanOrEqual(10_000);
    await lock.release();
    expect(await raw.get(lockKey)).toBe(other);
    expect(a.state()).toBe('up'); // the scripts answered; nothing failed
    await raw.del(lockKey);
  });
});
