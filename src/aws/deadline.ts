import { DeadlineExceeded } from '../errors/deadline.error';

/**
 * The time budget of one request, retries included. Its signal aborts whatever upstream
 * call is in flight when the budget runs out.
 *
 * The house's one rule for time limits: a call that can be cancelled (an SDK call, an HTTP
 * request, a fetch) is given an AbortSignal (this Deadline's, or `AbortSignal.timeout`) and
 * stops when it fires; work that cannot be cancelled (a Redis command, a close) is awaited
 * through `bounded()` (async/bounded.ts). No other timers around a call.
 */
export class Deadline {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  readonly expiresAt: number;

  constructor(readonly budgetMs: number) {
    this.expiresAt = performance.now() + budgetMs;
    this.timer = setTimeout(() => this.controller.abort(new DeadlineExceeded()), budgetMs);
    this.timer.unref();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get expired(): boolean {
    return this.controller.signal.aborted;
  }

  remainingMs(): number {
    // The timer may fire a fraction of a millisecond before performance.now() reaches expiresAt.
    if (this.expired) return 0;
    return Math.max(0, this.expiresAt - performance.now());
  }

  /** Signal for one attempt: the deadline or the per-attempt timeout, whichever comes first. */
  attemptSignal(attemptTimeoutMs: number): AbortSignal {
    return AbortSignal.any([this.signal, AbortSignal.timeout(attemptTimeoutMs)]);
  }

  dispose(): void {
    clearTimeout(this.timer);
  }
}
