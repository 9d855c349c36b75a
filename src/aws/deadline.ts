import { EcrAuthError } from '../errors/ecr-auth.error';

/**
 * The time budget of one request, retries included. Its signal aborts whatever upstream
 * call is in flight when the budget runs out.
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

export class DeadlineExceeded extends Error {
  constructor() {
    super('request deadline exceeded');
    this.name = 'DeadlineExceeded';
  }
}

export function deadlineError(lastThrottled: boolean): EcrAuthError {
  return lastThrottled
    ? new EcrAuthError(
        'UPSTREAM_THROTTLED',
        'AWS kept throttling until the request deadline; retry after the indicated delay.',
        { retryAfterSeconds: 1 },
      )
    : new EcrAuthError(
        'UPSTREAM_TIMEOUT',
        'AWS did not answer within the request deadline (ECR_AUTH_REQUEST_DEADLINE_MS); retry later.',
      );
}
