import type { Cache } from 'cache-manager';
import type { KeyvCacheableMemory } from '@cacheable/memory';
import type { MintIdentity, RegistryLogin } from '../mint/mint.types';
import { asCachedLogin, CachedLogin } from '../shared-tier/cached-login';

/** Mints a login upstream within `budgetMs` (what is left of the request deadline). */
export type Mint = (budgetMs: number) => Promise<RegistryLogin>;

/** What refresh-ahead keeps of a key it follows: how to mint it again, and where it stands. */
export interface RefreshState {
  readonly identity: MintIdentity;
  readonly mint: Mint;
  /** After a failure, when it is tried again (cache clock); until then it is due at its refresh time. */
  retryAt: number | undefined;
  /** Requested since its last mint. */
  requested: boolean;
  failures: number;
  running: boolean;
}

/**
 * Everything the cache holds of one key, in one value of the store: the entry, the labels it
 * can be evicted by (it grows with every registry host the token answered for), and
 * refresh-ahead's state while it is followed. The store's one bound
 * (ECR_AUTH_CACHE_MAX_ENTRIES) and TTL apply to all three at once.
 */
export interface KeyRecord {
  readonly entry: CachedLogin;
  readonly labels: string[];
  refresh?: RefreshState;
}

/**
 * The token cache's records in cache-manager (over @cacheable/memory, no clone: a record read
 * is the record stored, and refresh-ahead's flags are set on it in place). Scans (eviction by
 * label, refresh-ahead's tick) walk the store's items: at most ECR_AUTH_CACHE_MAX_ENTRIES.
 */
export class KeyRecords {
  constructor(
    private readonly cache: Cache,
    /** Whether an entry may still be served, on the cache's clock (the store's TTLs run on real time). */
    private readonly servable: (entry: CachedLogin) => boolean,
  ) {
    // Scans walk the memory store's items: another store would make eviction miss silently.
    if (!cache.stores.some((store) => memoryOf(store.store)))
      throw new Error('the token cache needs a @cacheable/memory store (its records are scanned)');
  }

  /** The key's record while its entry may be served. */
  async get(key: string): Promise<KeyRecord | undefined> {
    const record = await this.stored(key);
    return record && this.servable(record.entry) ? record : undefined;
  }

  /** The key's record as stored, servable or not. */
  async stored(key: string): Promise<KeyRecord | undefined> {
    const record = await this.cache.get<KeyRecord>(key);
    return record && asCachedLogin(record.entry) ? record : undefined;
  }

  /** Stores a new entry for `ttlMs`; the labels it had stay with it. */
  async put(key: string, entry: CachedLogin, labels: readonly string[], ttlMs: number): Promise<KeyRecord> {
    const before = await this.cache.get<KeyRecord>(key);
    const kept = before?.labels.filter((l) => !labels.includes(l)) ?? [];
    // Every field in the literal: one shape for every record, nothing added later out of line.
    const record: KeyRecord = {
      entry,
      labels: kept.length > 0 ? [...labels, ...kept] : [...labels],
      refresh: undefined,
    };
    await this.cache.set(key, record, ttlMs);
    return record;
  }

  /** Whether a servable record was there. */
  async delete(key: string): Promise<boolean> {
    const held = (await this.get(key)) !== undefined;
    await this.cache.del(key);
    return held;
  }

  /**
   * The records in the store (those past the store's TTL are purged on the way), servable or not:
   * refresh-ahead still lets go of one whose entry ran out on the cache's clock.
   */
  *all(): Generator<[string, KeyRecord]> {
    for (const store of this.cache.stores) {
      for (const item of memoryOf(store.store)?.items ?? []) {
        // Keyv wraps each value as { value, expires }.
        const record = (item.value as { value?: KeyRecord } | undefined)?.value;
        if (record?.entry) yield [item.key, record];
      }
    }
  }

  /** The keys of the records carrying `label`. */
  keysOf(label: string): string[] {
    const keys: string[] = [];
    for (const [key, record] of this.all()) if (record.labels.includes(label)) keys.push(key);
    return keys;
  }
}

/** The @cacheable/memory store under a Keyv adapter, if that is what it is. */
function memoryOf(adapter: unknown): KeyvCacheableMemory['store'] | undefined {
  return (adapter as Partial<KeyvCacheableMemory> | undefined)?.store;
}
