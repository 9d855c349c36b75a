import { LRUCache } from 'lru-cache';
import type { Clock } from '../clock/clock';

export interface EvictionIndexOptions {
  /** Bound of the index (keys); past it the least recently indexed key is dropped. */
  readonly maxKeys: number;
  /** The clock the rows' TTLs run on (the token cache's). */
  readonly clock: Clock;
  /** Called with a key the bound dropped: its entry must go too, or it could no longer be evicted. */
  readonly onDropped?: (key: string) => void;
}

/**
 * Cache keys are HMACs, so eviction by role ARN or registry needs an index from those
 * (non-secret) labels to the keys. Exact in the direction that matters: every entry of the
 * in-process cache has its row, because a row leaves only with its entry (its TTL is the
 * entry's store TTL, `remove` goes with a delete, and the bound drops the entry with it via
 * `onDropped`). A row may outlive its entry when the cache's own LRU pushed the entry out
 * first: callers count an eviction only for keys whose entry was present.
 */
export class EvictionIndex {
  /** key → its labels (one Set per key, reused when labels are added). */
  private readonly byKey: LRUCache<string, Set<string>>;
  private readonly byLabel = new Map<string, Set<string>>();

  constructor(options: EvictionIndexOptions) {
    this.byKey = new LRUCache<string, Set<string>>({
      max: options.maxKeys,
      perf: { now: options.clock },
      // Read the clock on every check: an injected clock moves without real time passing.
      ttlResolution: 0,
      // A key's Set is reused when it is indexed again: nothing to unlink then.
      noDisposeOnSet: true,
      dispose: (labels, key, reason) => {
        this.unlink(key, labels);
        if (reason === 'evict') options.onDropped?.(key);
      },
    });
  }

  /** Indexes `key` under `labels` (added to those it has) for `ttlMs`, the entry's store TTL. */
  add(key: string, labels: readonly string[], ttlMs: number): void {
    const held = this.byKey.get(key) ?? new Set<string>();
    for (const label of labels) this.link(key, label, held);
    this.byKey.set(key, held, { ttl: Math.max(1, Math.floor(ttlMs)) });
  }

  /**
   * Adds one label to an indexed key, keeping its TTL; idempotent, and a lookup of the key and
   * of the label when the label is already there.
   */
  label(key: string, label: string): 'added' | 'known' | 'unindexed' {
    const held = this.byKey.get(key);
    if (!held) return 'unindexed';
    if (held.has(label)) return 'known';
    this.link(key, label, held);
    return 'added';
  }

  /** The keys indexed under `label` whose rows are still live. */
  keysOf(label: string): string[] {
    const keys = this.byLabel.get(label);
    if (!keys) return [];
    // `get` purges an expired row (and unlinks it), so copy before checking.
    return [...keys].filter((key) => this.byKey.get(key) !== undefined);
  }

  remove(key: string): void {
    this.byKey.delete(key);
  }

  /** Rows held, expired ones not yet purged included. */
  get size(): number {
    return this.byKey.size;
  }

  private link(key: string, label: string, held: Set<string>): void {
    held.add(label);
    let keys = this.byLabel.get(label);
    if (!keys) this.byLabel.set(label, (keys = new Set()));
    keys.add(key);
  }

  private unlink(key: string, labels: Set<string>): void {
    for (const label of labels) {
      const keys = this.byLabel.get(label);
      keys?.delete(key);
      if (keys?.size === 0) this.byLabel.delete(label);
    }
  }
}
