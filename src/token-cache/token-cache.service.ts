import { CACHE_MANAGER } from '@nestjs/cache-manager';
import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import type { Cache } from 'cache-manager';
import { KeyedFlights } from '../async/single-flight';
import { deadlineError } from '../errors/deadline.error';
import { CLOCK, Clock } from '../clock/clock';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import type { MintIdentity, RegistryLogin } from '../mint/mint.types';
import { EcrAuthError } from '../errors/ecr-auth.error';
import { asCachedLogin, CachedLogin } from './cached-login';
import { CacheKeys } from './cache-key';
import { Refusals } from './refusals';
import { EvictionIndex } from './eviction-index';
import { FleetMint } from './fleet-mint';
import { FLEET_OBSERVER, FleetObserver, NO_FLEET_OBSERVER } from './fleet-observer';
import { MINT_LOCK, MintLock, NO_MINT_LOCK } from './mint-lock';
import { AheadJob, RefreshAhead } from './refresh-ahead';
import { assertLongEnough, assess, RefreshSettings, storeTtlMs } from './refresh-policy';
import { SHARED_TIER, SharedTier } from '../shared-tier/shared-tier.port';

export type CacheOutcome = 'hit' | 'miss' | 'coalesced' | 'refreshed' | 'stale' | 'denied' | 'budget';

export interface CacheResult {
  readonly login: RegistryLogin;
  readonly outcome: CacheOutcome;
}

/** Observes cache outcomes (metrics and logs plug in here). */
export type CacheObserver = (outcome: CacheOutcome, login?: RegistryLogin) => void;
export const CACHE_OBSERVER = Symbol('CACHE_OBSERVER');

/** Mints a login upstream within `budgetMs` (what is left of the request deadline). */
export type Mint = (budgetMs: number) => Promise<RegistryLogin>;

/** What refresh-ahead keeps to mint a key again. */
interface Remint {
  readonly identity: MintIdentity;
  readonly mint: Mint;
}

/**
 * The ECR token cache: one mint per identity per token lifetime, however many ask.
 * - keys are HMACs of the full identity (see CacheKeys);
 * - concurrent misses for a key share one mint, and its failure;
 * - a refresh that fails with an error the catalogue marks `servesStale` (an outage of AWS or
 *   of the service's own identity or jump role, never a refusal of the customer) serves the
 *   cached token while it has more than the minimum lifetime left, and not a second longer;
 * - refusals by AWS are remembered briefly per identity;
 * - with Redis, a key is minted once for the fleet (FleetMint, under a lock in Redis);
 * - refresh-ahead (RefreshAhead): an entry in use is re-minted in the background at its
 *   refresh time, and requests meanwhile are answered from the cache.
 */
@Injectable()
export class TokenCache implements OnApplicationShutdown {
  private readonly logger = new Logger('TokenCache');
  private readonly flights = new KeyedFlights<string, CachedLogin>();
  private readonly refusals: Refusals;
  private readonly index: EvictionIndex;
  private readonly settings: RefreshSettings;
  private readonly fleet: FleetMint;
  private readonly ahead: RefreshAhead<Remint>;
  private readonly deadlineMs: number;

  constructor(
    @Inject(CACHE_MANAGER) private readonly memory: Cache,
    @Inject(SHARED_TIER) private readonly shared: SharedTier,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(CACHE_OBSERVER) private readonly observe: CacheObserver,
    readonly keys: CacheKeys,
    @Inject(MINT_LOCK) lock: MintLock = NO_MINT_LOCK,
    @Inject(FLEET_OBSERVER) fleetObserver: FleetObserver = NO_FLEET_OBSERVER,
  ) {
    this.refusals = new Refusals(config.deniedCacheSeconds * 1000, config.cacheMaxEntries, clock);
    // Twice the cache's bound, so the cache's own LRU (which hits reorder) drops entries first;
    // should the index's bound be reached, the entry goes with its row (see EvictionIndex).
    this.index = new EvictionIndex({
      maxKeys: config.cacheMaxEntries * 2,
      clock,
      onDropped: (key) => void this.memory.del(key),
    });
    this.settings = { refreshBufferMs: config.refreshBufferSeconds * 1000, minTtlMs: config.minTtlSeconds * 1000 };
    shared.onRemoteEvict(({ label, keys }) => void this.evictLocal(label, keys));
    this.deadlineMs = config.requestDeadlineMs;
    this.fleet = new FleetMint(lock, fleetObserver);
    this.ahead = new RefreshAhead<Remint>({
      enabled: config.refreshAhead,
      settings: this.settings,
      clock,
      maxKeys: config.cacheMaxEntries,
      refresh: (key, job) => this.refreshInBackground(key, job),
      drop: (key) => void this.drop(key),
      observe: (outcome) => fleetObserver.refresh(outcome),
    });
  }

  onApplicationShutdown(): void {
    this.ahead.stop();
  }

  async get(identity: MintIdentity, mint: Mint): Promise<CacheResult> {
    const key = this.keys.token(identity);
    const now = this.clock();
    const refused = this.refusals.recall(key);
    if (refused) return this.fail('denied', refused);

    const cached = (await this.readMemory(key)) ?? (await this.readShared(key, identity, mint));
    const freshness = cached ? assess(cached, now, this.settings) : 'unusable';
    if (cached && freshness === 'fresh') {
      this.ahead.touch(key);
      return this.done('hit', key, identity, cached);
    }
    // Refresh-ahead: a due entry is answered while it is re-minted in the background.
    if (cached && freshness === 'refresh' && this.ahead.enabled) {
      this.ahead.due(key, { identity, mint }, cached);
      return this.done('hit', key, identity, cached);
    }

    const deadlineAt = performance.now() + this.deadlineMs;
    const pending = this.flights.current(key);
    if (!cached && !pending) {
      try {
        this.refusals.assertBudget(identity);
      } catch (e) {
        return this.fail('budget', e as EcrAuthError);
      }
    }
    try {
      const entry = await this.flights.run(key, () => this.mintOnce(key, identity, mint, deadlineAt));
      return this.done(pending ? 'coalesced' : cached ? 'refreshed' : 'miss', key, identity, entry);
    } catch (e) {
      const error =
        e instanceof EcrAuthError ? e : new EcrAuthError('INTERNAL', 'Internal error while minting.', { cause: e });
      // An outage (the catalogue's `servesStale`) must not fail builds the cache can still serve.
      if (
        cached &&
        freshness === 'refresh' &&
        error.servesStale &&
        assess(cached, this.clock(), this.settings) !== 'unusable'
      ) {
        this.logger.warn(
          { code: error.code, expiresAt: new Date(cached.expiresAt).toISOString() },
          'refresh failed upstream; serving the cached token while it is valid',
        );
        return this.done('stale', key, identity, cached);
      }
      throw error;
    }
  }

  /** Evicts tokens and remembered refusals under a label, here and on every replica. */
  async evict(label: string): Promise<number> {
    const local = await this.evictLocal(label);
    const remote = await this.shared.evict(label, this.clock());
    // Keys the fleet indexed under the label that this replica holds under other labels only.
    const alsoHere = await this.evictLocal(label, remote.keys);
    return Math.max(local + alsoHere, remote.deleted);
  }

  /**
   * Drops the entries under a label here (and `keys`, which other replicas deleted under it);
   * counts only entries that were really there.
   */
  private async evictLocal(label: string, keys: readonly string[] = []): Promise<number> {
    const doomed = new Set([...this.index.keysOf(label), ...keys]);
    const present = await Promise.all(
      [...doomed].map(async (key) => {
        const held = (await this.memory.get(key)) !== undefined;
        await this.drop(key);
        return held;
      }),
    );
    return present.filter(Boolean).length + this.refusals.forget(label);
  }

  /**
   * The one mint of a key for the fleet (see FleetMint), within the deadline; the entry is
   * this replica's mint or another's, and refresh-ahead follows it.
   */
  private async mintOnce(key: string, identity: MintIdentity, mint: Mint, deadlineAt: number): Promise<CachedLogin> {
    let mintedHere = false;
    const entry = await this.fleet.run(
      key,
      (e) => this.isFresh(e),
      deadlineAt - performance.now(),
      () => {
        mintedHere = true;
        const budgetMs = deadlineAt - performance.now();
        if (budgetMs <= 0) throw deadlineError(false);
        return this.mintAndStore(key, identity, () => mint(budgetMs));
      },
    );
    if (!mintedHere) await this.adopt(key, identity, entry);
    this.ahead.track(key, { identity, mint }, entry);
    return entry;
  }

  /** Refresh-ahead's work: another replica's new token from Redis if it has one, else one mint for the fleet. */
  private async refreshInBackground(key: string, job: AheadJob<Remint>): Promise<void> {
    const { identity, mint } = job.mint;
    await this.flights.run(key, async () => {
      const peer = await this.shared.get(key);
      if (peer && this.isFresh(peer)) {
        await this.adopt(key, identity, peer);
        this.ahead.track(key, job.mint, peer);
        return peer;
      }
      return this.mintOnce(key, identity, mint, performance.now() + this.deadlineMs);
    });
  }

  private isFresh(entry: CachedLogin): boolean {
    return assess(entry, this.clock(), this.settings) === 'fresh';
  }

  /** The one mint of a key in flight: stores the entry, or remembers a refusal. */
  private async mintAndStore(
    key: string,
    identity: MintIdentity,
    mint: () => Promise<RegistryLogin>,
  ): Promise<CachedLogin> {
    const mintedAt = this.clock();
    let login: RegistryLogin;
    try {
      login = await mint();
    } catch (e) {
      if (e instanceof EcrAuthError && e.remembered) {
        this.refusals.remember(key, identity, e, this.keys.labels(identity));
        await this.drop(key);
      }
      throw e;
    }
    const entry: CachedLogin = {
      username: login.username,
      password: login.password,
      expiresAt: login.expiresAt.getTime(),
      mintedAt,
      sessionName: login.sessionName,
    };
    assertLongEnough(entry, this.clock(), this.settings);
    const ttl = storeTtlMs(entry, this.clock(), this.settings);
    if (ttl > 0) {
      const labels = this.keys.labels(identity);
      await this.memory.set(key, entry, ttl);
      this.index.add(key, labels, ttl);
      // Awaited (within the tier's bound): replicas waiting on the lock read it once it is released.
      await this.shared.set(key, entry, ttl, labels);
    }
    return entry;
  }

  private async readMemory(key: string): Promise<CachedLogin | undefined> {
    return asCachedLogin(await this.memory.get<CachedLogin>(key));
  }

  private async readShared(key: string, identity: MintIdentity, mint: Mint): Promise<CachedLogin | undefined> {
    const found = await this.shared.get(key);
    if (found && (await this.adopt(key, identity, found))) this.ahead.track(key, { identity, mint }, found);
    return found;
  }

  /** Keeps an entry another replica minted in memory; false when it has no servable life left. */
  private async adopt(key: string, identity: MintIdentity, entry: CachedLogin): Promise<boolean> {
    const ttl = storeTtlMs(entry, this.clock(), this.settings);
    if (ttl <= 0) return false;
    await this.memory.set(key, entry, ttl);
    this.index.add(key, this.keys.labels(identity), ttl);
    return true;
  }

  private async drop(key: string): Promise<void> {
    this.ahead.forget(key);
    this.index.remove(key);
    await this.memory.del(key);
  }

  private done(outcome: CacheOutcome, key: string, identity: MintIdentity, entry: CachedLogin): CacheResult {
    // An ECR token answers for every registry of its region the principal reaches: eviction by
    // any host it answered for must find it, here and in the fleet. Free once the label is known.
    const label = this.keys.registryLabel(identity);
    if (this.index.label(key, label) === 'added')
      this.shared.label(key, label, storeTtlMs(entry, this.clock(), this.settings));
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
