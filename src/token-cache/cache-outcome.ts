import type { RegistryLogin } from '../mint/mint.types';

/** How the token cache answered a request. */
export type CacheOutcome = 'hit' | 'miss' | 'coalesced' | 'refreshed' | 'stale' | 'denied' | 'budget';

export interface CacheResult {
  readonly login: RegistryLogin;
  readonly outcome: CacheOutcome;
}

/** Observes cache outcomes (metrics and logs plug in here). */
export type CacheObserver = (outcome: CacheOutcome, login?: RegistryLogin) => void;
export const CACHE_OBSERVER = Symbol('CACHE_OBSERVER');
