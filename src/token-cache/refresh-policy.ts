import { EcrAuthError } from '../errors/ecr-auth.error';
import { hasLifeLeft, Lifetime, refreshAt, RefreshSettings, servableMs } from '../lifetime/lifetime.rule';

export type { Lifetime, RefreshSettings } from '../lifetime/lifetime.rule';

/**
 * When a cached token is served, refreshed or dropped. Pure: a function of the entry, the
 * settings and "now" from the injected clock.
 *
 * - fresh: serve it.
 * - refresh: past its refresh time; mint anew, and serve it only if the refresh fails on an
 *   upstream fault (stale-if-error).
 * - unusable: no more than the minimum lifetime left; never served.
 */
export type Freshness = 'fresh' | 'refresh' | 'unusable';

export function assess(entry: Lifetime, now: number, settings: RefreshSettings): Freshness {
  if (!hasLifeLeft(entry.expiresAt, now, settings.minTtlMs)) return 'unusable';
  // A clock that moved backwards (now < mintedAt) leaves the entry fresh: its expiry, not
  // its age, decides.
  return now < refreshAt(entry, settings) ? 'fresh' : 'refresh';
}

/** How long a store may keep the entry: until it becomes unusable. 0 means don't cache. */
export function storeTtlMs(entry: Lifetime, now: number, settings: RefreshSettings): number {
  return Math.floor(servableMs(entry.expiresAt, now, settings.minTtlMs));
}

/** No answer, fresh ones included, carries a token with the minimum lifetime or less left. */
export function assertLongEnough(entry: Lifetime, now: number, settings: RefreshSettings): void {
  if (hasLifeLeft(entry.expiresAt, now, settings.minTtlMs)) return;
  const left = entry.expiresAt - now;
  throw new EcrAuthError(
    'UPSTREAM_TOKEN_TOO_SHORT',
    `ECR handed out a token with ${Math.round(left / 1000)} s left, not more than ECR_AUTH_MIN_TTL_SECONDS (${settings.minTtlMs / 1000} s): not served. Retry; if it persists, check the service's clock against AWS's and the customer session's length.`,
  );
}

/**
 * Stale-if-error: a refresh that failed on an outage (the catalogue's `servesStale`, never a
 * refusal of the customer) serves the cached token while it is still servable, and not longer.
 */
export function servesStale(
  entry: Lifetime | undefined,
  freshness: Freshness,
  failure: { readonly servesStale: boolean },
  now: number,
  settings: RefreshSettings,
): entry is Lifetime {
  return (
    entry !== undefined && freshness === 'refresh' && failure.servesStale && assess(entry, now, settings) !== 'unusable'
  );
}
