import { EcrAuthError } from '../errors/ecr-auth.error';

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

export interface RefreshSettings {
  /** Refresh this long before expiry (ECR_AUTH_REFRESH_BUFFER_SECONDS). */
  readonly refreshBufferMs: number;
  /** Never serve or cache a token with this little left (ECR_AUTH_MIN_TTL_SECONDS). */
  readonly minTtlMs: number;
}

export interface Lifetime {
  /** Effective expiry: the earlier of the token's and its credentials'. */
  readonly expiresAt: number;
  /** When it was minted (clock of the minting replica). */
  readonly mintedAt: number;
}

/**
 * The buffer in force: ECR_AUTH_REFRESH_BUFFER_SECONDS, but never under twice the minimum
 * lifetime. A smaller buffer would leave no time between "due for refresh" and "no longer
 * servable": a refresh must have a window in which the old token can still answer.
 */
export function effectiveBufferMs(settings: RefreshSettings): number {
  return Math.max(settings.refreshBufferMs, 2 * settings.minTtlMs);
}

/**
 * The refresh time: expiry minus the buffer, but never earlier than half-way through the
 * lifetime, so a buffer longer than the lifetime cannot turn every request into a mint.
 */
export function refreshAt(entry: Lifetime, settings: RefreshSettings): number {
  const halfway = entry.mintedAt + (entry.expiresAt - entry.mintedAt) / 2;
  return Math.max(entry.expiresAt - effectiveBufferMs(settings), halfway);
}

export function assess(entry: Lifetime, now: number, settings: RefreshSettings): Freshness {
  if (entry.expiresAt - now <= settings.minTtlMs) return 'unusable';
  // A clock that moved backwards (now < mintedAt) leaves the entry fresh: its expiry, not
  // its age, decides.
  return now < refreshAt(entry, settings) ? 'fresh' : 'refresh';
}

/** How long a store may keep the entry: until it becomes unusable. 0 means don't cache. */
export function storeTtlMs(entry: Lifetime, now: number, settings: RefreshSettings): number {
  return Math.max(0, Math.floor(entry.expiresAt - settings.minTtlMs - now));
}

/** No answer, fresh ones included, carries a token with the minimum lifetime or less left. */
export function assertLongEnough(entry: Lifetime, now: number, settings: RefreshSettings): void {
  const left = entry.expiresAt - now;
  if (left > settings.minTtlMs) return;
  throw new EcrAuthError(
    'UPSTREAM_TOKEN_TOO_SHORT',
    `ECR handed out a token with ${Math.round(left / 1000)} s left, not more than ECR_AUTH_MIN_TTL_SECONDS (${settings.minTtlMs / 1000} s): not served. Retry; if it persists, check the service's clock against AWS's and the customer session's length.`,
  );
}
