import { CACHE_MANAGER } from '@nestjs/cache-manager';
import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import type { Cache } from 'cache-manager';
import { KeyedFlights } from '../async/single-flight';
import { deadlineError } from '../errors/deadline.error';
import { CLOCK, Clock } from '../clock/clock';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import type { MintIdentity, RegistryLogin } from '../mint/mint.types';
import { EcrAuthError } from '../errors/ecr-auth.error';
import { CachedLogin, cachedLoginOf, registryLoginOf } from '../shared-tier/cached-login';
import { FleetMint } from '../shared-tier/fleet-mint';
import { FLEET_OBSERVER, FleetObserver, NO_FLEET_OBSERVER } from '../shared-tier/fleet-observer';
import { SHARED_TIER, SharedTier } from '../shared-tier/shared-tier.port';
import { CACHE_OBSERVER, CacheObserver, CacheOutcome, CacheResult } from './cache-outcome';
import { CacheKeys } from './cache-key';
import { DeniedMemory } from './denied-memory';
import { KeyRecord, KeyRecords, Mint } from './key-records';
import { RefreshAhead, Remint } from './refresh-ahead';
import { assertLongEnough, assess, RefreshSettings, servesStale, storeTtlMs } from './refresh-policy';
import { RefusalBudget } from './refusal-budget';

/**
 * The ECR token cache: one mint per identity per token lifetime, however many ask.
 * - keys are HMACs of the full identity (see CacheKeys);
 * - concurrent misses for a key share one mint, and its failure;
 * - a refresh that fails with an error the catalogue marks `servesStale` (an outage of AWS or
 *   of the service's own identity or jump role, never a refusal of the customer) serves the
 *   cached token while it has more than the minimum lifetime left, and not a second longer;
 * - refusals by AWS are remembered briefly per identity, and a role's refused AssumeRoles are
 *   budgeted per window (DeniedMemory, RefusalBudget);
 * - one record per key (KeyRecords): its entry, labels and refresh-ahead's state, one bound;
 * - with Redis, a key is minted once for the fleet (FleetMint, under a lock in Redis);
 * - refresh-ahead (RefreshAhead): an entry in use is re-minted in the background at its
 *   refresh time, and requests meanwhile are answered from the cache.
 */
@Injectable()
export class TokenCache implements OnApplicationShutdown {
  private readonly logger = new Logger('TokenCache');
  private readonly flights = new KeyedFlights<string, KeyRecord>();
  private readonly records: KeyRecords;
  private readonly denied: DeniedMemory;
  private readonly budget: RefusalBudget;
  private readonly settings: RefreshSettings;
  private readonly fleet: FleetMint;
  private readonly ahead: RefreshAhead;
  private readonly deadlineMs: number;
  private readonly evictions: Array<(label: string) => void> = [];

  constructor(
    @Inject(CACHE_MANAGER) private readonly memory: Cache,
    @Inject(SHARED_TIER) private readonly shared: SharedTier,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(CACHE_OBSERVER) private readonly observe: CacheObserver,
    readonly keys: CacheKeys,
    @Inject(FLEET_OBSERVER) fleetObserver: FleetObserver = NO_FLEET_OBSERVER,
  ) {
    this.settings = { refreshBufferMs: config.refreshBufferSeconds * 1000, minTtlMs: config.minTtlSeconds * 1000 };
    this.records = new KeyRecords(memory, (e) => assess(e, clock(), this.settings) !== 'unusable');
    this.denied = new DeniedMemory(config.deniedCacheSeconds * 1000, config.cacheMaxEntries, clock);
    this.budget = new RefusalBudget(config.deniedCacheSeconds * 1000, config.cacheMaxEntries, clock);
    shared.onRemoteEvict(({ label, keys }) => void this.evictLocal(label, keys));
    this.deadlineMs = config.requestDeadlineMs;
    this.fleet = new FleetMint(shared, fleetObserver);
    this.ahead = new RefreshAhead({
      enabled: config.refreshAhead,
      settings: this.settings,
      clock,
      records: this.records,
      refresh: (key, remint) => this.refreshInBackground(key, remint),
      drop: (key) => void this.memory.del(key),
      observe: (outcome) => fleetObserver.refresh(outcome),
    });
  }

  onApplicationShutdown(): void {
    this.ahead.stop();
  }

  async get(identity: MintIdentity, mint: Mint): Promise<CacheResult> {
    const key = this.keys.token(identity);
    const refused = this.denied.recall(key);
    if (refused) return this.fail('denied', refused);

    const record = (await this.records.get(key)) ?? (await this.readShared(key, identity, mint));
    const cached = record?.entry;
    const freshness = cached ? assess(cached, this.clock(), this.settings) : 'unusable';
    // Refresh-ahead: a due entry is answered while it is re-minted in the background.
    if (record && (freshness === 'fresh' || (freshness === 'refresh' && this.ahead.enabled))) {
      if (freshness === 'fresh') this.ahead.touch(record);
      else this.ahead.due(key, record, { identity, mint });
      return this.done('hit', identity, record);
    }

    const deadlineAt = performance.now() + this.deadlineMs;
    const pending = this.flights.current(key);
    const spent = cached || pending ? undefined : this.budget.spentFor(identity);
    if (spent) return this.fail('budget', spent);
    try {
      const minted = await this.flights.run(key, () => this.mintOnce(key, identity, mint, deadlineAt));
      return this.done(pending ? 'coalesced' : cached ? 'refreshed' : 'miss', identity, minted);
    } catch (e) {
      const error =
        e instanceof EcrAuthError ? e : new EcrAuthError('INTERNAL', 'Internal error while minting.', { cause: e });
      // An outage must not fail builds the cache can still serve.
      if (record && servesStale(cached, freshness, error, this.clock(), this.settings)) {
        this.logger.warn(
          { code: error.code, expiresAt: new Date(cached.expiresAt).toISOString() },
          'refresh failed upstream; serving the cached token while it is valid',
        );
        return this.done('stale', identity, record);
      }
      throw error;
    }
  }

  /** Called with each label evicted here, by this replica's request or another's notice. */
  onEvict(listener: (label: string) => void): void {
    this.evictions.push(listener);
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
    for (const listener of this.evictions) listener(label);
    const doomed = new Set([...this.records.keysOf(label), ...keys]);
    const present = await Promise.all([...doomed].map((key) => this.records.delete(key)));
    this.budget.forget(label);
    return present.filter(Boolean).length + this.denied.forget(label);
  }

  /**
   * The one mint of a key for the fleet (see FleetMint), within the deadline; the entry is
   * this replica's mint or another's, and refresh-ahead follows it.
   */
  private async mintOnce(key: string, identity: MintIdentity, mint: Mint, deadlineAt: number): Promise<KeyRecord> {
    let mintedHere: KeyRecord | undefined;
    const entry = await this.fleet.run(
      key,
      (e) => this.isFresh(e),
      deadlineAt - performance.now(),
      async () => {
        const budgetMs = deadlineAt - performance.now();
        if (budgetMs <= 0) throw deadlineError(false);
        const minted = await this.mintAndStore(key, identity, () => mint(budgetMs));
        mintedHere = minted.record;
        return { entry: minted.record.entry, stored: minted.stored };
      },
    );
    const record = mintedHere ?? (await this.adopt(key, identity, entry));
    this.ahead.track(record, { identity, mint });
    return record;
  }

  /** Refresh-ahead's work: another replica's new token from Redis if it has one, else one mint for the fleet. */
  private async refreshInBackground(key: string, remint: Remint): Promise<void> {
    const { identity, mint } = remint;
    await this.flights.run(key, async () => {
      const peer = await this.shared.get(key);
      if (peer && this.isFresh(peer)) {
        const record = await this.adopt(key, identity, peer);
        this.ahead.track(record, remint);
        return record;
      }
      return this.mintOnce(key, identity, mint, performance.now() + this.deadlineMs);
    });
  }

  private isFresh(entry: CachedLogin): boolean {
    return assess(entry, this.clock(), this.settings) === 'fresh';
  }

  /**
   * The one mint of a key in flight: stores the entry (in process at once; in the shared tier
   * in the background, `stored`), or remembers a refusal.
   */
  private async mintAndStore(
    key: string,
    identity: MintIdentity,
    mint: () => Promise<RegistryLogin>,
  ): Promise<{ record: KeyRecord; stored: Promise<void> }> {
    const mintedAt = this.clock();
    let login: RegistryLogin;
    try {
      login = await mint();
    } catch (e) {
      if (e instanceof EcrAuthError && e.remembered) {
        this.denied.remember(key, e, this.keys.labels(identity));
        this.budget.refused(identity, e);
        await this.records.delete(key);
      }
      throw e;
    }
    const entry = cachedLoginOf(login, mintedAt);
    assertLongEnough(entry, this.clock(), this.settings);
    const ttl = storeTtlMs(entry, this.clock(), this.settings);
    const labels = this.keys.labels(identity);
    if (ttl <= 0) return { record: { entry, labels }, stored: Promise.resolve() };
    const record = await this.records.put(key, entry, labels, ttl);
    // Not awaited: the answer never waits for Redis. The fleet lock is released once the write
    // settled (see FleetMint), so replicas waiting on it find the value.
    const stored = this.shared.set(key, entry, ttl, labels);
    return { record, stored };
  }

  private async readShared(key: string, identity: MintIdentity, mint: Mint): Promise<KeyRecord | undefined> {
    const found = await this.shared.get(key);
    if (!found) return undefined;
    const record = await this.adopt(key, identity, found);
    this.ahead.track(record, { identity, mint });
    return record;
  }

  /** Keeps an entry another replica minted in memory, while it has servable life left. */
  private async adopt(key: string, identity: MintIdentity, entry: CachedLogin): Promise<KeyRecord> {
    const ttl = storeTtlMs(entry, this.clock(), this.settings);
    const labels = this.keys.labels(identity);
    return ttl > 0 ? this.records.put(key, entry, labels, ttl) : { entry, labels };
  }

  private done(outcome: CacheOutcome, identity: MintIdentity, record: KeyRecord): CacheResult {
    // An ECR token answers for every registry of its region the principal reaches: eviction by
    // any host it answered for must find it, here and in the fleet. Free once the label is known.
    const { entry, labels } = record;
    const label = this.keys.registryLabel(identity);
    if (!labels.includes(label)) {
      labels.push(label);
      this.shared.label(this.keys.token(identity), label, storeTtlMs(entry, this.clock(), this.settings));
    }
    const login = registryLoginOf(entry, identity.host.host);
    this.observe(outcome, login);
    return { login, outcome };
  }

  private fail(outcome: CacheOutcome, error: EcrAuthError): never {
    this.observe(outcome);
    throw error;
  }
}
