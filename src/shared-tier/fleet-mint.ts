import { sleep } from '../async/sleep';
import { deadlineError } from '../errors/deadline.error';
import type { CachedLogin } from './cached-login';
import type { FleetObserver, LockOutcome } from './fleet-observer';
import type { MintLock } from './shared-tier.port';
import { startLockWaitSpan } from '../tracing/spans';

/** A mint's entry, and its write to the shared tier (which never rejects), still running perhaps. */
export interface Minted {
  readonly entry: CachedLogin;
  readonly stored: Promise<void>;
}

/** How often a replica waiting on another's mint looks at Redis (value and lock, one round trip). */
export const LOCK_POLL_MS = 20;

/**
 * One mint of a key for the whole fleet. The replica that takes the lock looks once more
 * (a holder may have finished between the caller's read and the lock), then mints; the others
 * poll for its token until the lock goes away (its holder failed, or died and the lease ran
 * out: then one of them takes the lock) or their budget runs out (504 UPSTREAM_TIMEOUT).
 * Without a lock to be had, the replica mints for itself: a lock is never a reason to fail.
 *
 * The answer does not wait for the write to the shared tier: the holder answers at once and
 * releases the lock once the write settled (within the tier's bound), so that a replica that
 * sees the lock go away finds the value. The wait, up to the lock's outcome, is a `fleet lock`
 * span of the request's trace.
 */
export class FleetMint {
  constructor(
    private readonly lock: MintLock,
    private readonly observer: FleetObserver,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /**
   * @param wanted whether a token another replica stored is what the caller needs
   * @param budgetMs how long the caller may wait for another replica
   * @param mintHere mints and stores the entry: in process before it resolves, in the shared
   *   tier by the time its `stored` settles
   */
  async run(
    key: string,
    wanted: (entry: CachedLogin) => boolean,
    budgetMs: number,
    mintHere: () => Promise<Minted>,
  ): Promise<CachedLogin> {
    const started = this.now();
    const waited = () => this.now() - started;
    const endLockSpan = startLockWaitSpan('fleet lock');
    // Every way out of the wait reports its outcome exactly once.
    const decided = (outcome: LockOutcome) => {
      const ms = waited();
      endLockSpan(outcome, ms);
      this.observer.lock(outcome, ms);
    };
    let waitedOnPeer = false;
    for (;;) {
      const lock = await this.lock.acquire(key);
      if (lock === 'unavailable') {
        decided('unavailable');
        return (await mintHere()).entry;
      }
      if (lock !== 'held') {
        let stored: Promise<void> = Promise.resolve();
        try {
          const peek = await this.lock.peek(key);
          if (peek !== 'unavailable' && peek.value && wanted(peek.value)) {
            decided('shared');
            return peek.value;
          }
          decided(waitedOnPeer ? 'freed' : 'acquired');
          const minted = await mintHere();
          stored = minted.stored;
          return minted.entry;
        } finally {
          // Neither rejects; the answer does not wait for them.
          void stored.then(() => lock.release());
        }
      }
      waitedOnPeer = true;
      for (;;) {
        if (waited() >= budgetMs) {
          decided('timeout');
          throw deadlineError(false);
        }
        await sleep(Math.min(LOCK_POLL_MS, budgetMs - waited()));
        const peek = await this.lock.peek(key);
        if (peek === 'unavailable') {
          decided('unavailable');
          return (await mintHere()).entry;
        }
        if (peek.value && wanted(peek.value)) {
          decided('shared');
          return peek.value;
        }
        if (!peek.held) break;
      }
    }
  }
}
