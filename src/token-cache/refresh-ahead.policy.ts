import type { ErrorCode } from '../errors/error-codes';
import { Lifetime, RefreshSettings } from './refresh-policy';

/**
 * Refresh-ahead's decisions, pure: what happens to a cached entry at its refresh time, and
 * when a failed background refresh is tried again.
 */

/** Back-off of a failed background refresh: from the first delay, doubling, capped. */
export interface RefreshRetry {
  readonly firstDelayMs: number;
  readonly maxDelayMs: number;
}

export const REFRESH_RETRY: RefreshRetry = { firstDelayMs: 1000, maxDelayMs: 60_000 };

/**
 * At the refresh time: an entry requested since its last mint is re-minted in the
 * background; one nobody asked for is left to expire (it ages out of the cache by itself).
 */
export function atRefreshTime(requestedSinceMint: boolean): 'refresh' | 'skip-idle' {
  return requestedSinceMint ? 'refresh' : 'skip-idle';
}

/**
 * After a failed background refresh: an outage (`servesStale`) is tried again after the
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
  retry: RefreshRetry = REFRESH_RETRY,
): number | 'drop' {
  if (!failure.servesStale) return 'drop';
  const delay = Math.min(retry.maxDelayMs, retry.firstDelayMs * 2 ** Math.max(0, failures - 1));
  const at = now + delay;
  // Past this the token is no longer served: a request then mints (and waits) by itself.
  return at < entry.expiresAt - settings.minTtlMs ? at : 'drop';
}
