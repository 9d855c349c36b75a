/**
 * The one back-off of the service: exponential from `firstMs`, doubling per attempt, capped at
 * `maxMs`, with a jitter chosen by the caller. Used by the upstream retry layer (full jitter),
 * refresh-ahead's retries of a failed refresh (none: one key, one timer) and Redis reconnects
 * (spread around the ceiling, so replicas that lost Redis together do not reconnect together).
 * https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/
 */
export interface Backoff {
  readonly firstMs: number;
  readonly maxMs: number;
  /** full: uniform in [0, ceiling); spread: uniform in [0.75, 1.25) × ceiling; none: the ceiling. */
  readonly jitter: 'full' | 'spread' | 'none';
}

/** The wait before attempt `attempt + 1`, after `attempt` (1 or more) failed ones. */
export function backoffDelay(attempt: number, backoff: Backoff, random: () => number = Math.random): number {
  // Exponent capped: past 2^30 the ceiling is maxMs for any sane setting, and 2 ** n stays finite.
  const ceiling = Math.min(backoff.maxMs, backoff.firstMs * 2 ** Math.min(30, Math.max(0, attempt - 1)));
  switch (backoff.jitter) {
    case 'full':
      return Math.floor(random() * ceiling);
    case 'spread':
      return Math.floor(ceiling * (0.75 + random() / 2));
    case 'none':
      return ceiling;
  }
}
