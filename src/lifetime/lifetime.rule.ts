/**
 * The lifetime rules of a token, pure and dependency-free: the service's cache, the role
 * chain's held sessions and the CLIs' caches apply the same ones. Times in epoch milliseconds.
 */

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
 * The minimum lifetime: a token is handed out only while more than `minTtlMs` of it is left,
 * so that whoever receives it has time to use it.
 */
export function hasLifeLeft(expiresAt: number, now: number, minTtlMs: number): boolean {
  return expiresAt - now > minTtlMs;
}

/** How much longer the token may be handed out (kept by a cache): its life beyond the minimum; 0 when none. */
export function servableMs(expiresAt: number, now: number, minTtlMs: number): number {
  return Math.max(0, expiresAt - minTtlMs - now);
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
