import { createHash } from 'node:crypto';
import type { TierCommands } from './redis-link';

const MAX_LABEL_CHARS = 2048;
/** An index outlives its entries by this much (it is written just before them). */
const INDEX_SLACK_MS = 60_000;
/** A tombstone outlives any value it can guard: ECR tokens live 12 hours. */
const TOMBSTONE_TTL_MS = 13 * 3_600_000;

/** What a replica hears of another's eviction: the label, and the cache keys deleted under it. */
export interface RemoteEviction {
  readonly label: string;
  readonly keys: readonly string[];
}

/**
 * Eviction by label across replicas. Cache keys are HMACs, so eviction by role ARN or registry
 * needs an index from those (non-secret) labels to the keys:
 *
 * - Label indexes: `<prefix>:idx:<sha256(label) hex>`, a SET of cache keys, so that eviction
 *   reaches entries other replicas wrote. Each index is a key of its own slot: it is written
 *   one index per call, and eviction deletes entry by entry (each entry one slot).
 * - Fan-out: PUBLISH on `<prefix>:evict` of `{"from": <instance id>, "label", "keys"}`, received
 *   on a second connection; a replica ignores its own messages. The keys go with the label: a
 *   replica drops them even where it never indexed them under that label.
 * - Tombstones: `<prefix>:{<cache key>}:tomb` (the entry's hash tag) holds the eviction time of each deleted key, so a
 *   value written back after it (a replay by someone with write access to Redis) is refused
 *   on read unless it was minted later.
 *
 * Commands throw; the tier bounds them and turns failures into no-ops.
 */
export class RedisEviction {
  readonly channel: string;
  private readonly listeners: Array<(eviction: RemoteEviction) => void> = [];

  constructor(
    private readonly client: TierCommands,
    private readonly prefix: string,
    private readonly instanceId: string,
    /** The Redis key of a cache key's value. */
    private readonly valueKey: (key: string) => string,
  ) {
    this.channel = `${prefix}:evict`;
  }

  /** The Redis key of a label's index. */
  indexKey(label: string): string {
    return `${this.prefix}:idx:${createHash('sha256').update(label, 'utf8').digest('hex')}`;
  }

  /** The Redis key of a cache key's tombstone. */
  tombKey(key: string): string {
    return `${this.valueKey(key)}:tomb`;
  }

  /**
   * Adds `key` to the indexes of `labels`, each kept at least `ttlMs` (plus slack). Returns
   * how many index keys of a wrong type were replaced.
   */
  async index(key: string, labels: readonly string[], ttlMs: number): Promise<number> {
    const repaired = await Promise.all(
      labels.map((l) => this.client.indexAdd(this.indexKey(l), key, ttlMs + INDEX_SLACK_MS)),
    );
    return repaired.reduce((a, b) => a + b, 0);
  }

  /**
   * Deletes the entries under `label` and its index, leaves a tombstone per key, tells the
   * other replicas; how many entries were deleted, and their keys.
   */
  async evict(label: string, now: number): Promise<{ deleted: number; keys: string[] }> {
    const index = this.indexKey(label);
    const keys = await this.client.sMembers(index);
    // One script per entry (value and tombstone share its slot), then the index (its own slot).
    const deletions = await Promise.all(
      keys.map((k) => this.client.evictEntry(this.valueKey(k), this.tombKey(k), now, TOMBSTONE_TTL_MS)),
    );
    const deleted = deletions.reduce((a, b) => a + b, 0);
    await this.client.del(index);
    await this.client.publish(this.channel, JSON.stringify({ from: this.instanceId, label, keys }));
    return { deleted, keys };
  }

  onRemoteEvict(listener: (eviction: RemoteEviction) => void): void {
    this.listeners.push(listener);
  }

  /** A message on the channel: malformed ones and this replica's own are ignored. */
  received(message: string): void {
    let parsed: { from?: unknown; label?: unknown; keys?: unknown };
    try {
      parsed = JSON.parse(message) as typeof parsed;
    } catch {
      return;
    }
    if (
      !parsed ||
      typeof parsed.label !== 'string' ||
      parsed.label.length === 0 ||
      parsed.label.length > MAX_LABEL_CHARS
    )
      return;
    if (parsed.from === this.instanceId) return;
    const keys = Array.isArray(parsed.keys) ? parsed.keys.filter((k): k is string => typeof k === 'string') : [];
    for (const listener of this.listeners) {
      try {
        listener({ label: parsed.label, keys });
      } catch {
        // a listener's failure is its own; the others still run
      }
    }
  }
}
