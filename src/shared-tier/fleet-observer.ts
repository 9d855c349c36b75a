/**
 * How a mint met the fleet-wide lock:
 * - acquired: this replica held the lock and minted;
 * - shared: another replica minted, this one answered its token (after waiting, or at the
 *   double check once it held the lock);
 * - freed: the lock went away without a token (its holder failed or died), this replica minted;
 * - unavailable: no lock to be had (Redis down or slow), this replica minted for itself;
 * - timeout: the request deadline passed while another replica held the lock.
 */
export type LockOutcome = 'acquired' | 'shared' | 'freed' | 'unavailable' | 'timeout';

/** What refresh-ahead did at an entry's refresh time. */
export type RefreshOutcome = 'refreshed' | 'failed' | 'skipped_idle';

/** Observes the lock and refresh-ahead (metrics plug in here). Labels are these outcomes only. */
export interface FleetObserver {
  lock(outcome: LockOutcome, waitedMs: number): void;
  refresh(outcome: RefreshOutcome): void;
}

export const FLEET_OBSERVER = Symbol('FLEET_OBSERVER');

export const NO_FLEET_OBSERVER: FleetObserver = { lock: () => undefined, refresh: () => undefined };
