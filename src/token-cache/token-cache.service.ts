import { CACHE_MANAGER } from '@nestjs/cache-manager';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Cache } from 'cache-manager';
import { CLOCK, Clock } from '../clock/clock';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import type { MintIdentity, RegistryLogin } from '../credentials/mint.types';
import { EcrAuthError } from '../errors/ecr-auth.error';
import { asCachedLogin, CachedLogin } from './cached-login';
import { CacheKeys } from './cache-key';
import { DeniedMemory } from './denied-memory';
import { EvictionIndex } from './eviction-index';
import { assess, RefreshSettings, storeTtlMs } from './refresh-policy';
import { SHARED_TIER, SharedTier } from './shared-tier';

export type CacheOutcome = 'hit' | 'miss' | 'coalesced' | 'refreshed' | 'stale' | 'denied';

export interface CacheResult {
  readonly login: RegistryLogin;
  readonly outcome: CacheOutcome;
}

/** Observes cache outcomes (metrics and logs plug in here). */
export type CacheObserver = (outcome: CacheOutcome, login?: RegistryLogin) => void;
export const CACHE_OBSERVER = Symbol('CACHE_OBSERVER');

/**
 * The ECR token cache: one mint per identity per token lifetime, however many ask.
 * - keys are HMACs of the full identity (see CacheKeys);
 * - concurrent misses for a key share one mint, and its failure;
 * - a refresh that fails on an upstream fault serves the cached token while it has more
 *   than the minimum lifetime left (stale-if-error), and not a second longer;
 * - refusals by AWS are remembered briefly per identity.
 */
@Injectable()
export class TokenCache {
  private readonly logger = new Logger('TokenCache');
  private readonly inFlight = new Map<string, Promise<CachedLogin>>();
  private readonly denied: DeniedMemory;
  private readonly index: EvictionIndex;
  private readonly settings: RefreshSettings;

  constructor(
    @Inject(CACHE_MANAGER) private readonly memory: Cache,
    @Inject(SHARED_TIER) private readonly shared: SharedTier,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(CACHE_OBSERVER) private readonly observe: CacheObserver,
    readonly keys: CacheKeys,
  ) {
    this.denied = new DeniedMemory(config.deniedCacheSeconds * 1000, config.cacheMaxEntries);
    this.index = new EvictionIndex(config.cacheMaxEntries * 2);
    this.settings = { refreshBufferMs: config.refreshBufferSeconds * 1000, minTtlMs: config.minTtlSeconds * 1000 };
    shared.onRemoteEvict((label) => void this.evictLocal(label));
  }

  async get(identity: MintIdentity, mint: () => Promise<RegistryLogin>): Promise<CacheResult> {
    const key = this.keys.token(identity);
    const now = this.clock();
    const refused = this.denied.recall(key, now);
    if (refused) return this.fail('denied', refused);

    const cached = (await this.readMemory(key)) ?? (await this.readShared(key, identity));
    const freshness = cached ? assess(cached, now, this.settings) : 'unusable';
    if (cached && freshness === 'fresh') return this.done('hit', identity, cached);

    const pending = this.inFlight.get(key);
    try {
      const entry = await (pending ?? this.startFlight(key, identity, mint));
      return this.done(pending ? 'coalesced' : cached ? 'refreshed' : 'miss', identity, entry);
    } catch (e) {
      const error =
        e instanceof EcrAuthError ? e : new EcrAuthError('INTERNAL', 'Internal error while minting.', { cause: e });
      // Upstream or operator-side trouble (5xx) must not fail builds the cache can still serve.
      if (
        cached &&
        freshness === 'refresh' &&
        error.status >= 500 &&
        assess(cached, this.clock(), this.settings) !== 'unusable'
      ) {
        this.logger.warn(
          { code: error.code, expiresAt: new Date(cached.expiresAt).toISOString() },
          'refresh failed upstream; serving the cached token while it is valid',
        );
        return this.done('stale', identity, cached);
      }
      throw error;
    }
  }

  /** One mint per key at a time; waiters share its result or its failure. */
  private startFlight(key: string, identity: MintIdentity, mint: () => Promise<RegistryLogin>): Promise<CachedLogin> {
    const flight = this.mintAndStore(key, identity, mint)
      .catch(async (e: unknown) => {
        if (e instanceof EcrAuthError && e.remembered) {
          this.denied.remember(key, e, this.clock(), this.keys.labels(identity));
          await this.drop(key);
        }
        throw e;
      })
      .finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, flight);
    return flight;
  }

  /** Evicts tokens and remembered refusals under a label, here and on every replica. */
  async evict(label: string): Promise<number> {
    const local = await this.evictLocal(label);
    const remote = await this.shared.evict(label);
    return Math.max(local, remote);
  }

  private async evictLocal(label: string): Promise<number> {
    const keys = this.index.keysOf(label);
    await Promise.all(keys.map((k) => this.drop(k)));
    return keys.length + this.denied.forget(label);
  }

  private async mintAndStore(
    key: string,
    identity: MintIdentity,
    mint: () => Promise<RegistryLogin>,
  ): Promise<CachedLogin> {
    const mintedAt = this.clock();
    const login = await mint();
    const entry: CachedLogin = {
      username: login.username,
      password: login.password,
      expiresAt: login.expiresAt.getTime(),
      mintedAt,
      sessionName: login.sessionName,
    };
    const ttl = storeTtlMs(entry, this.clock(), this.settings);
    if (ttl > 0) {
      const labels = this.keys.labels(identity);
      await this.memory.set(key, entry, ttl);
      this.index.add(key, labels);
      this.shared.set(key, entry, ttl, labels);
    }
    return entry;
  }

  private async readMemory(key: string): Promise<CachedLogin | undefined> {
    return asCachedLogin(await this.memory.get<CachedLogin>(key));
  }

  private async readShared(key: string, identity: MintIdentity): Promise<CachedLogin | undefined> {
    const found = await this.shared.get(key);
    if (found) {
      const ttl = storeTtlMs(found, this.clock(), this.settings);
      if (ttl > 0) {
        await this.memory.set(key, found, ttl);
        this.index.add(key, this.keys.labels(identity));
      }
    }
    return found;
  }

  private async drop(key: string): Promise<void> {
    this.index.remove(key);
    await this.memory.del(key);
  }

  private done(outcome: CacheOutcome, identity: MintIdentity, entry: CachedLogin): CacheResult {
    const login = {
      registry: identity.host.host,
      username: entry.username,
      password: entry.password,
      expiresAt: new Date(entry.expiresAt),
      sessionName: entry.sessionName,
    };
    this.observe(outcome, login);
    return { login, outcome };
  }

  private fail(outcome: CacheOutcome, error: EcrAuthError): never {
    this.observe(outcome);
    throw error;
  }
}
