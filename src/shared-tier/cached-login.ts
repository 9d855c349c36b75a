import type { Lifetime } from '../lifetime/lifetime.rule';
import type { RegistryLogin } from '../mint/mint.types';

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

/** What the cache keeps of a login minted at `mintedAt`. */
export function cachedLoginOf(login: RegistryLogin, mintedAt: number): CachedLogin {
  const { password, sessionName } = login;
  // ECR's user name is `AWS`: every entry then shares one string instead of holding a copy.
  const username = login.username === 'AWS' ? 'AWS' : login.username;
  return { username, password, expiresAt: login.expiresAt.getTime(), mintedAt, sessionName };
}

/** The login a cached entry answers for `registry`. */
export function registryLoginOf(entry: CachedLogin, registry: string): RegistryLogin {
  const { username, password, sessionName } = entry;
  return { registry, username, password, expiresAt: new Date(entry.expiresAt), sessionName };
}
