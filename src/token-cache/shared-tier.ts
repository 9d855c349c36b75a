import type { CachedLogin } from './cached-login';

/**
 * A cache shared by replicas (Redis), behind the in-process tier. Implementations never
 * throw and never make a request wait longer than their own short timeout.
 */
export interface SharedTier {
  get(key: string): Promise<CachedLogin | undefined>;
  /** Never rejects, and settles within the tier's bound (a lock holder waits for it, a request need not). */
  set(key: string, value: CachedLogin, ttlMs: number, labels: readonly string[]): Promise<void>;
  /** Deletes the entries under a label in the shared store and tells the other replicas. */
  evict(label: string): Promise<number>;
  /** Called with a label when another replica evicted it. */
  onRemoteEvict(listener: (label: string) => void): void;
  state(): 'disabled' | 'up' | 'down';
  /**
   * Optional: resolves true once the tier is connected (and listening for evictions), false as
   * soon as its first connection attempt failed or after `timeoutMs`. Never rejects.
   */
  whenReady?(timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}

export const SHARED_TIER = Symbol('SHARED_TIER');

export const NO_SHARED_TIER: SharedTier = {
  get: () => Promise.resolve(undefined),
  set: () => Promise.resolve(),
  evict: () => Promise.resolve(0),
  onRemoteEvict: () => undefined,
  state: () => 'disabled',
  close: () => Promise.resolve(),
};
