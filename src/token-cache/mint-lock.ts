import { randomUUID } from 'node:crypto';
import { bounded } from '../async/bounded';
import type { CachedLogin } from './cached-login';
import type { RedisTier } from './redis-tier';

/** A lock this replica holds; `release` never throws. */
export interface HeldLock {
  release(): Promise<void>;
}

/** One look at the shared tier for a key: its value, if any, and whether someone holds its lock. */
export interface LockPeek {
  readonly value?: CachedLogin;
  readonly held: boolean;
}

/**
 * The fleet-wide lock on minting a key. `held`: another replica holds it; `unavailable`: the
 * lock cannot be had now (no shared tier, Redis down or slow), so the replica mints for itself.
 */
export interface MintLock {
  acquire(key: string): Promise<HeldLock | 'held' | 'unavailable'>;
  peek(key: string): Promise<LockPeek | 'unavailable'>;
}

export const MINT_LOCK = Symbol('MINT_LOCK');

/** Without a shared tier, every replica mints for itself. */
export const NO_MINT_LOCK: MintLock = {
  acquire: () => Promise.resolve('unavailable'),
  peek: () => Promise.resolve('unavailable'),
};

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

/**
 * The mint lock in Redis, next to the value: `<prefix>:lock:<cache key>` (an HMAC, nothing
 * secret) holding a random token of the holder. Released only by its holder, through a
 * compare-and-delete script (REDIS_SCRIPTS.lockRelease). Never throws; a Redis that is down
 * or slow makes the lock `unavailable`, never a failed request.
 */
export class RedisMintLock implements MintLock {
  constructor(
    private readonly tier: RedisTier,
    private readonly options: RedisMintLockOptions,
  ) {}

  lockKey(key: string): string {
    return this.tier.valueKey(`lock:${key}`);
  }

  async acquire(key: string): Promise<HeldLock | 'held' | 'unavailable'> {
    const c = this.tier.connections;
    if (c.isClosing || !c.client.isReady) return 'unavailable';
    const lockKey = this.lockKey(key);
    const token = randomUUID();
    const { leaseMs, timeoutMs } = this.options;
    const setting = c.client.set(lockKey, token, { condition: 'NX', expiration: { type: 'PX', value: leaseMs } });
    const result = await bounded(timeoutMs, setting);
    if (!result.ok) {
      c.failed('lock', result.error);
      // A SET that lands late is still ours: free it rather than make others wait a lease.
      setting.then((reply) => (reply === 'OK' ? this.release(lockKey, token) : undefined)).catch(() => undefined);
      return 'unavailable';
    }
    if (result.value !== 'OK') return 'held';
    const renewal = setInterval(() => {
      if (c.isClosing || !c.client.isReady) return;
      void bounded(timeoutMs, () => c.client.lockExtend(lockKey, token, leaseMs));
    }, leaseMs / 3);
    renewal.unref();
    return {
      release: async () => {
        clearInterval(renewal);
        await this.release(lockKey, token);
      },
    };
  }

  async peek(key: string): Promise<LockPeek | 'unavailable'> {
    const c = this.tier.connections;
    if (c.isClosing || !c.client.isReady) return 'unavailable';
    // Issued in the same tick: node-redis pipelines both into one round trip.
    const result = await bounded(this.options.timeoutMs, () =>
      Promise.all([this.tier.get(key), c.client.exists(this.lockKey(key))]),
    );
    if (!result.ok) return c.client.isReady ? { held: true } : 'unavailable';
    const [value, held] = result.value;
    return { value, held: held === 1 };
  }

  private async release(lockKey: string, token: string): Promise<void> {
    const c = this.tier.connections;
    if (c.isClosing || !c.client.isReady) return;
    const result = await bounded(this.options.timeoutMs, () => c.client.lockRelease(lockKey, token));
    if (!result.ok) c.failed('unlock', result.error);
  }
}
