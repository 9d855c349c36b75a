/**
 * Cache keys are HMACs, so eviction by role ARN or registry needs an index from those
 * (non-secret) labels to the keys. Bounded with the cache: keys are dropped when their entry is.
 */
export class EvictionIndex {
  private readonly byLabel = new Map<string, Set<string>>();
  private readonly byKey = new Map<string, readonly string[]>();

  constructor(private readonly maxKeys: number) {}

  add(key: string, labels: readonly string[]): void {
    this.remove(key);
    this.byKey.set(key, labels);
    // The LRU may drop entries silently; the oldest index rows go with the bound.
    if (this.byKey.size > this.maxKeys) this.remove(this.byKey.keys().next().value as string);
    for (const label of labels) {
      let keys = this.byLabel.get(label);
      if (!keys) this.byLabel.set(label, (keys = new Set()));
      keys.add(key);
    }
  }

  keysOf(label: string): string[] {
    return [...(this.byLabel.get(label) ?? [])];
  }

  remove(key: string): void {
    const labels = this.byKey.get(key);
    if (!labels) return;
    this.byKey.delete(key);
    for (const label of labels) {
      const keys = this.byLabel.get(label);
      keys?.delete(key);
      if (keys?.size === 0) this.byLabel.delete(label);
    }
  }

  get size(): number {
    return this.byKey.size;
  }
}
