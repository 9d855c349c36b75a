import type { CachedLogin } from './cached-login';
import type { RemoteEviction } from './redis-eviction';

/**
 * What the shared tier sees: `off` without Redis; `up` only while its calls succeed; `degraded`
 * while Redis answers but its calls fail or time out; `down` while it is unreachable.
 */
export type SharedTierState = 'off' | 'up' | 'degraded' | 'down';

/** A mint lock this replica holds; `release` never throws. */
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

/**
 * A cache shared by replicas (Redis), behind the in-process tier, and the fleet's mint lock
 * next to its values. Implementations never throw and never make a request wait longer than
 * their own short timeout.
 */
export interface SharedTier extends MintLock {
  get(key: string): Promise<CachedLogin | undefined>;
  /** Never rejects, and settles within the tier's bound (a lock holder waits for it, a request need not). */
  set(key: string, value: CachedLogin, ttlMs: number, labels: readonly string[]): Promise<void>;
  /** Fire and forget: indexes an entry under one more label (a host its token answered for). */
  label(key: string, label: string, ttlMs: number): void;
  /**
   * Deletes the entries under a label in the shared store and tells the other replicas; how
   * many were deleted there, and their keys. Values minted before `now` cannot come back.
   */
  evict(label: string, now: number): Promise<{ deleted: number; keys: readonly string[] }>;
  /** Called when another replica evicted a label: the label and the keys deleted under it. */
  onRemoteEvict(listener: (eviction: RemoteEviction) => void): void;
  state(): SharedTierState;
  /**
   * Resolves true once the tier is connected (and listening for evictions), false as soon as
   * its first connection attempt failed or after `timeoutMs`. Never rejects.
   */
  whenReady(timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}

export const SHARED_TIER = Symbol('SHARED_TIER');

/** Without Redis: every read misses, every write is skipped, and every replica mints for itself. */
export const NO_SHARED_TIER: SharedTier = {
  get: () => Promise.resolve(undefined),
  set: () => Promise.resolve(),
  label: () => undefined,
  evict: () => Promise.resolve({ deleted: 0, keys: [] }),
  onRemoteEvict: () => undefined,
  acquire: () => Promise.resolve('unavailable'),
  peek: () => Promise.resolve('unavailable'),
  state: () => 'off',
  whenReady: () => Promise.resolve(false),
  close: () => Promise.resolve(),
};
