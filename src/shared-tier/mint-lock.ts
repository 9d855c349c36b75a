import { randomUUID } from 'node:crypto';
import { bounded } from '../async/bounded';
import type { CachedLogin } from './cached-login';
import type { RedisConnections } from './redis-connection';
import type { HeldLock, LockPeek, MintLock } from './shared-tier.port';

export interface RedisMintLockOptions {
  /**
   * Lifetime of the lock (SET NX PX), renewed by its holder every third of it while its mint
   * runs: a live holder keeps it as long as its mint (itself bounded by the request deadline),
   * a dead one frees it within one lease.
   */
  readonly leaseMs: number;
  /** Bound of each lock command on Redis; past it the replica goes on without the lock. */
  readonly timeoutMs: number;
}

/** A lock held in Redis: renewed on a timer while held; `renew` is the timer's work. */
export interface RedisHeldLock extends HeldLock {
  /** A new lease of `leaseMs`, only while the lock still holds this holder's token. */
  renew(): Promise<boolean>;
}

/**
 * The mint lock in Redis, next to the value: `<prefix>:{<cache key>}:lock` (the entry's hash
 * tag; the key is an HMAC, nothing secret) holding a random token of the holder. Released and renewed only by its holder,
 * through compare-and-delete and compare-and-expire scripts (REDIS_SCRIPTS.lockRelease,
 * lockExtend). Never throws; a Redis that is down or slow makes the lock `unavailable`, never a
 * failed request.
 */
export class RedisMintLock implements MintLock {
  constructor(
    private readonly c: RedisConnections,
    private readonly options: RedisMintLockOptions,
    /** The Redis key of a cache key's value (the lock's key derives from it). */
    private readonly valueKey: (key: string) => string,
    /** The tier's read of a value. */
    private readonly read: (key: string) => Promise<CachedLogin | undefined>,
  ) {}

  lockKey(key: string): string {
    return `${this.valueKey(key)}:lock`;
  }

  /**
   * While the tier's calls fail or time out (a hung Redis: the request's read just timed out),
   * the lock is `unavailable` at once: a cold mint pays the tier's short timeout once, not the
   * lock's bound on top. The next call that succeeds makes the lock available again.
   */
  async acquire(key: string): Promise<RedisHeldLock | 'held' | 'unavailable'> {
    const c = this.c;
    if (!c.isUsable || c.isFailing) return 'unavailable';
    const lockKey = this.lockKey(key);
    const token = randomUUID();
    const { leaseMs, timeoutMs } = this.options;
    const setting = c.link.commands.set(lockKey, token, { px: leaseMs, nx: true });
    const result = await bounded(timeoutMs, setting);
    if (!result.ok) {
      c.failed('lock', result.error);
      // A SET that lands late is still ours: free it rather than make others wait a lease.
      setting.then((reply) => (reply === 'OK' ? this.release(lockKey, token) : undefined)).catch(() => undefined);
      return 'unavailable';
    }
    c.succeeded();
    if (result.value !== 'OK') return 'held';
    const renew = () => this.extend(lockKey, token);
    const renewal = setInterval(() => void renew(), leaseMs / 3);
    renewal.unref();
    return {
      renew,
      release: async () => {
        clearInterval(renewal);
        await this.release(lockKey, token);
      },
    };
  }

  async peek(key: string): Promise<LockPeek | 'unavailable'> {
    const c = this.c;
    if (!c.isUsable) return 'unavailable';
    const wasFailing = c.isFailing;
    // Issued in the same tick: node-redis pipelines both into one round trip.
    const result = await bounded(this.options.timeoutMs, () =>
      Promise.all([this.read(key), c.link.commands.exists(this.lockKey(key))]),
    );
    if (!result.ok) {
      c.failed('peek', result.error);
      // One slow answer: look again. Two in a row (or offline): mint here rather than wait out the deadline.
      return c.link.isReady && !wasFailing ? { held: true } : 'unavailable';
    }
    c.succeeded();
    const [value, held] = result.value;
    return { value, held: held === 1 };
  }

  /** Compare-and-expire: true when the lease was renewed (the token was still the holder's). */
  private async extend(lockKey: string, token: string): Promise<boolean> {
    if (!this.c.isUsable) return false;
    const { leaseMs, timeoutMs } = this.options;
    const result = await bounded(timeoutMs, () => this.c.link.commands.lockExtend(lockKey, token, leaseMs));
    if (!result.ok) this.c.failed('lock renewal', result.error);
    else this.c.succeeded();
    return result.ok && result.value === 1;
  }

  /** Compare-and-delete: a lock another replica took after this one's lease ran out stays. */
  private async release(lockKey: string, token: string): Promise<void> {
    if (!this.c.isUsable) return;
    const result = await bounded(this.options.timeoutMs, () => this.c.link.commands.lockRelease(lockKey, token));
    if (!result.ok) this.c.failed('unlock', result.error);
    else this.c.succeeded();
  }
}
