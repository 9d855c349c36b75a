import { createHash } from 'node:crypto';
import type { RedisClient } from './redis-connection';

const MAX_LABEL_CHARS = 2048;
/** An index outlives its entries by this much (it is written just before them). */
const INDEX_SLACK_MS = 60_000;

/**
 * Eviction by label across replicas. Cache keys are HMACs, so eviction by role ARN or registry
 * needs an index from those (non-secret) labels to the keys:
 *
 * - Label indexes: `<prefix>:idx:<sha256(label) hex>`, a SET of cache keys, so that eviction
 *   reaches entries other replicas wrote.
 * - Fan-out: PUBLISH on `<prefix>:evict` of `{"from": <instance id>, "label"}`, received on a
 *   second connection; a replica ignores its own messages.
 *
 * Commands throw; the tier bounds them and turns failures into no-ops.
 */
export class RedisEviction {
  readonly channel: string;
  private readonly listeners: Array<(label: string) => void> = [];

  constructor(
    private readonly client: RedisClient,
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

  /** Adds `key` to the indexes of `labels`, each kept at least `ttlMs` (plus slack). */
  async index(key: string, labels: readonly string[], ttlMs: number): Promise<void> {
    await this.client.indexAdd(
      labels.map((l) => this.indexKey(l)),
      key,
      ttlMs + INDEX_SLACK_MS,
    );
  }

  /** Deletes the entries under `label` and its index, tells the other replicas; how many entries were deleted. */
  async evict(label: string): Promise<number> {
    const index = this.indexKey(label);
    const keys = await this.client.sMembers(index);
    let deleted = 0;
    if (keys.length > 0) {
      const replies = await this.client
        .multi()
        .del(keys.map((k) => this.valueKey(k)))
        .del(index)
        .exec();
      deleted = Number(replies[0]) || 0;
    } else {
      await this.client.del(index);
    }
    await this.client.publish(this.channel, JSON.stringify({ from: this.instanceId, label }));
    return deleted;
  }

  onRemoteEvict(listener: (label: string) => void): void {
    this.listeners.push(listener);
  }

  /** A message on the channel: malformed ones and this replica's own are ignored. */
  received(message: string): void {
    let parsed: { from?: unknown; label?: unknown };
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
    for (const listener of this.listeners) {
      try {
        listener(parsed.label);
      } catch {
        // a listener's failure is its own; the others still run
      }
    }
  }
}
