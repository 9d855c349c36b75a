import { sleep } from '../async/sleep';
import { deadlineError } from '../errors/deadline.error';
import type { CachedLogin } from './cached-login';
import type { FleetObserver } from './fleet-observer';
import type { MintLock } from './shared-tier.port';

/** How often a replica waiting on another's mint looks at Redis (value and lock, one round trip). */
export const LOCK_POLL_MS = 20;

/**
 * One mint of a key for the whole fleet. The replica that takes the lock looks once more
 * (a holder may have finished between the caller's read and the lock), then mints; the others
 * poll for its token until the lock goes away (its holder failed, or died and the lease ran
 * out: then one of them takes the lock) or their budget runs out (504 UPSTREAM_TIMEOUT).
 * Without a lock to be had, the replica mints for itself: a lock is never a reason to fail.
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
   * @param mintHere mints and stores the entry, in the shared tier too (awaited)
   */
  async run(
    key: string,
    wanted: (entry: CachedLogin) => boolean,
    budgetMs: number,
    mintHere: () => Promise<CachedLogin>,
  ): Promise<CachedLogin> {
    const started = this.now();
    const waited = () => this.now() - started;
    let waitedOnPeer = false;
    for (;;) {
      const lock = await this.lock.acquire(key);
      if (lock === 'unavailable') {
        this.observer.lock('unavailable', waited());
        return mintHere();
      }
      if (lock !== 'held') {
        try {
          const peek = await this.lock.peek(key);
          if (peek !== 'unavailable' && peek.value && wanted(peek.value)) {
            this.observer.lock('shared', waited());
            return peek.value;
          }
          this.observer.lock(waitedOnPeer ? 'freed' : 'acquired', waited());
          return await mintHere();
        } finally {
          await lock.release();
        }
      }
      waitedOnPeer = true;
      for (;;) {
        if (waited() >= budgetMs) {
          this.observer.lock('timeout', waited());
          throw deadlineError(false);
        }
        await sleep(Math.min(LOCK_POLL_MS, budgetMs - waited()));
        const peek = await this.lock.peek(key);
        if (peek === 'unavailable') {
          this.observer.lock('unavailable', waited());
          return mintHere();
        }
        if (peek.value && wanted(peek.value)) {
          this.observer.lock('shared', waited());
          return peek.value;
        }
        if (!peek.held) break;
      }
    }
  }
}
