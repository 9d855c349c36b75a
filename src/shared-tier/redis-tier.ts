import { randomUUID } from 'node:crypto';
import { bounded } from '../async/bounded';
import type { CachedLogin } from './cached-login';
import { RedisMintLock } from './mint-lock';
import { RedisConnectionOptions, RedisConnections } from './redis-connection';
import { RedisEviction, RemoteEviction } from './redis-eviction';
import type { LockPeek, SharedTier } from './shared-tier.port';
import { ValueCipher } from './value-cipher';

export interface RedisTierOptions extends RedisConnectionOptions {
  /** ECR_AUTH_CACHE_ENCRYPTION_KEY: the first seals, all open. */
  readonly encryptionKeys: readonly Buffer[];
  /** Namespace of every key and of the channel; `ecr-auth` unless tests isolate a run. */
  readonly prefix?: string;
  /** Bound of `get`, on the request path. Default 100 ms. */
  readonly getTimeoutMs?: number;
  /** Bound of a background `set` (index and value). Default 1000 ms. */
  readonly setTimeoutMs?: number;
  /** Bound of `evict` (an operator request). Default 2000 ms. */
  readonly evictTimeoutMs?: number;
  /** The mint lock's lease (see RedisMintLock). Default 1000 ms. */
  readonly lockLeaseMs?: number;
  /** Bound of one lock command: past it the replica mints without the lock. Default 200 ms. */
  readonly lockTimeoutMs?: number;
}

/**
 * The shared tier of the token cache, in Redis.
 *
 * - Keys: everything kept for one entry shares the hash tag `{<cache key>}`, so that every
 *   script and multi-key command touches one slot of a cluster (one layout in every mode):
 *   the value `<prefix>:{<cache key>}`, its mint lock `…:lock`, its tombstone `…:tomb`.
 *   Entries written under an older layout are not read: a rolling upgrade costs one extra
 *   mint per key, nothing else.
 * - Values: a sealed string (see ValueCipher), with the entry's TTL (GET, SET PX). The cache
 *   key is already an HMAC: nothing secret is ever in a Redis key, and nothing clear in a value.
 * - Label indexes and the eviction channel: see RedisEviction; the mint lock: RedisMintLock;
 *   connections: RedisConnections; scripts: REDIS_SCRIPTS.
 *
 * Never throws and never makes a caller wait longer than its bound. While Redis is down the
 * tier is a no-op (`get` misses at once, `set` is skipped) and the client reconnects in the
 * background.
 */
export class RedisTier implements SharedTier {
  readonly instanceId = randomUUID();
  private readonly cipher: ValueCipher;
  private readonly prefix: string;
  readonly connections: RedisConnections;
  private readonly eviction: RedisEviction;
  readonly lock: RedisMintLock;
  private readonly t: Required<Pick<RedisTierOptions, 'getTimeoutMs' | 'setTimeoutMs' | 'evictTimeoutMs'>>;

  constructor(options: RedisTierOptions) {
    this.cipher = new ValueCipher(options.encryptionKeys);
    this.prefix = options.prefix ?? 'ecr-auth';
    this.t = {
      getTimeoutMs: options.getTimeoutMs ?? 100,
      setTimeoutMs: options.setTimeoutMs ?? 1000,
      evictTimeoutMs: options.evictTimeoutMs ?? 2000,
    };
    this.connections = new RedisConnections(options);
    this.eviction = new RedisEviction(this.connections.link.commands, this.prefix, this.instanceId, (key) =>
      this.valueKey(key),
    );

    this.lock = new RedisMintLock(
      this.connections,
      { leaseMs: options.lockLeaseMs ?? 1000, timeoutMs: options.lockTimeoutMs ?? 200 },
      (key) => this.valueKey(key),
      (key) => this.read(key),
    );
    this.connections.subscribe(this.eviction.channel, (message) => this.eviction.received(message));
  }

  state(): 'up' | 'degraded' | 'down' {
    return this.connections.state();
  }

  acquire(key: string): ReturnType<RedisMintLock['acquire']> {
    return this.lock.acquire(key);
  }

  peek(key: string): Promise<LockPeek | 'unavailable'> {
    return this.lock.peek(key);
  }

  /**
   * Resolves true once connected and subscribed to evictions; false as soon as the first
   * connection attempt failed (the tier is down and reconnects in the background), or after
   * `timeoutMs`. For start-up (see SharedTierModule) and tests. Never rejects.
   */
  whenReady(timeoutMs = 2000): Promise<boolean> {
    return this.connections.whenReady(timeoutMs);
  }

  async get(key: string): Promise<CachedLogin | undefined> {
    const c = this.connections;
    if (c.isClosing || (!c.link.isReady && !c.isStarting)) return undefined;
    const result = await bounded(this.t.getTimeoutMs, async () => {
      if (c.isStarting) await c.firstAttempt;
      if (!c.isUsable) return undefined;
      return this.read(key);
    });
    if (!result.ok) c.failed('get', result.error);
    return result.ok ? result.value : undefined;
  }

  /** One read of a value and its tombstone (unbounded: callers bound it). */
  private async read(key: string): Promise<CachedLogin | undefined> {
    // One slot: the value and its tombstone share the entry's hash tag.
    const [sealed, evictedAt] = await this.connections.link.commands.mGet([
      this.valueKey(key),
      this.eviction.tombKey(key),
    ]);
    this.connections.succeeded();
    const value = sealed === null ? undefined : this.cipher.open(key, sealed);
    // A value minted before its key was last evicted is a replay: never served.
    return value && evictedAt !== null && value.mintedAt <= Number(evictedAt) ? undefined : value;
  }

  set(key: string, value: CachedLogin, ttlMs: number, labels: readonly string[]): Promise<void> {
    const c = this.connections;
    if (c.isClosing || !c.link.isReady || !(ttlMs > 0)) return Promise.resolve();
    return bounded(this.t.setTimeoutMs, async () => {
      const sealed = this.cipher.seal(key, value);
      const ttl = Math.ceil(ttlMs);
      // Index first: a value that exists in Redis is always reachable by its labels.
      if (labels.length > 0) {
        c.assertUsable();
        this.repaired(await this.eviction.index(key, labels, ttl));
      }
      c.assertUsable();
      await c.link.commands.set(this.valueKey(key), sealed, { px: ttl });
    }).then((result) => {
      if (!result.ok) c.failed('set', result.error);
      else c.succeeded();
    });
  }

  label(key: string, label: string, ttlMs: number): void {
    const c = this.connections;
    if (c.isClosing || !c.link.isReady || !(ttlMs > 0)) return;
    void bounded(this.t.setTimeoutMs, async () => {
      c.assertUsable();
      this.repaired(await this.eviction.index(key, [label], Math.ceil(ttlMs)));
    }).then((result) => {
      if (!result.ok) c.failed('label', result.error);
      else c.succeeded();
    });
  }

  async evict(label: string, now: number): Promise<{ deleted: number; keys: readonly string[] }> {
    const c = this.connections;
    const none = { deleted: 0, keys: [] };
    if (c.isClosing || !c.link.isReady) return none;
    const result = await bounded(this.t.evictTimeoutMs, () => this.eviction.evict(label, now));
    if (!result.ok) {
      c.failed('evict', result.error);
      return none;
    }
    c.succeeded();
    return result.value;
  }

  /** An index key of a wrong type was replaced: said once per occurrence, it is not silent. */
  private repaired(count: number): void {
    if (count > 0)
      this.connections.logger.warn(`shared cache: ${count} eviction index key(s) of a wrong type replaced`);
  }

  onRemoteEvict(listener: (eviction: RemoteEviction) => void): void {
    this.eviction.onRemoteEvict(listener);
  }

  /** Quits both connections, each within the close bound; then drops what did not quit. Idempotent. */
  close(): Promise<void> {
    return this.connections.close();
  }

  /** The Redis key of a cache key's value: the entry's hash tag (see the class comment). */
  valueKey(key: string): string {
    return `${this.prefix}:{${key}}`;
  }

  /** The Redis key of a label's index. */
  indexKey(label: string): string {
    return this.eviction.indexKey(label);
  }
}
