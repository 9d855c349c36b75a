import type { Lifetime } from './refresh-policy';

/** What the cache keeps of a minted login. The registry comes from the request, not the cache. */
export interface CachedLogin extends Lifetime {
  readonly username: string;
  readonly password: string;
  readonly sessionName?: string;
}

/** Accepts only a well-formed entry (a shared store's value may be foreign or stale in shape). */
export function asCachedLogin(value: unknown): CachedLogin | undefined {
  const v = value as Partial<CachedLogin> | null | undefined;
  if (!v || typeof v !== 'object') return undefined;
  if (typeof v.username !== 'string' || typeof v.password !== 'string') return undefined;
  if (typeof v.expiresAt !== 'number' || typeof v.mintedAt !== 'number') return undefined;
  const sessionName = typeof v.sessionName === 'string' ? v.sessionName : undefined;
  return { username: v.username, password: v.password, expiresAt: v.expiresAt, mintedAt: v.mintedAt, sessionName };
}
