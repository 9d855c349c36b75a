import { ERROR_CATALOGUE, ErrorCode } from './error-codes';

export interface EcrAuthErrorOptions {
  /** The underlying failure, for the log only: never sent to a caller. */
  cause?: unknown;
  /** Seconds a caller should wait before trying again (sets `Retry-After`). */
  retryAfterSeconds?: number;
}

/**
 * The one error type of the service: a stable contract code, a message that says what to
 * do (safe to show a caller: it never carries a secret), and whether it is transient.
 */
export class EcrAuthError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly retryable: boolean;
  readonly retryAfterSeconds?: number;
  override readonly cause?: unknown;

  constructor(code: ErrorCode, message: string, options: EcrAuthErrorOptions = {}) {
    super(message);
    this.name = 'EcrAuthError';
    this.code = code;
    this.status = ERROR_CATALOGUE[code].status;
    this.retryable = ERROR_CATALOGUE[code].retryable;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.cause = options.cause;
  }

  /** Whether a refresh failing with it serves a still-valid cached token (stale-if-error). */
  get servesStale(): boolean {
    return ERROR_CATALOGUE[this.code].servesStale;
  }

  /** Whether STS's refusal should be remembered for the identity (denied cache). */
  get remembered(): boolean {
    return ERROR_CATALOGUE[this.code].remembered;
  }
}
