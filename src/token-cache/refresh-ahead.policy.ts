import { Backoff, backoffDelay } from '../async/backoff';
import type { ErrorCode } from '../errors/error-codes';
import type { Lifetime, RefreshSettings } from '../lifetime/lifetime.rule';

/** Back-off of a failed background refresh: 1 s doubling to 60 s; one key, one retry, no jitter. */
export const REFRESH_RETRY: Backoff = { firstMs: 1000, maxMs: 60_000, jitter: 'none' };

/**
 * After a failed background refresh (pure): an outage (`servesStale`) is tried again after the
 * back-off while the cached token is still servable (stale-if-error); anything else (a
 * refusal, a broken request) drops the entry, so the next request meets the error itself.
 * Returns when to try again, or `drop`.
 */
export function afterFailedRefresh(
  failure: { readonly servesStale: boolean; readonly code: ErrorCode },
  failures: number,
  entry: Lifetime,
  now: number,
  settings: RefreshSettings,
  retry: Backoff = REFRESH_RETRY,
): number | 'drop' {
  if (!failure.servesStale) return 'drop';
  const at = now + backoffDelay(failures, retry);
  // Past this the token is no longer served: a request then mints (and waits) by itself.
  return at < entry.expiresAt - settings.minTtlMs ? at : 'drop';
}
