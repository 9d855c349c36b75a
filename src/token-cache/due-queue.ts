/**
 * Keys by due time (a binary min-heap): `take(now)` yields what is due, earliest first.
 * Rescheduling a key pushes it again; the earlier copy is skipped when it surfaces.
 */
export class DueQueue {
  private readonly heap: Array<{ at: number; key: string; version: number }> = [];
  private readonly versions = new Map<string, number>();
  /** Never reused, so a copy left from before a cancel cannot pass for a later schedule. */
  private version = 0;

  get size(): number {
    return this.versions.size;
  }

  /** Schedules `key` at `at`, replacing any earlier schedule of it. */
  schedule(key: string, at: number): void {
    const version = ++this.version;
    this.versions.set(key, version);
    this.heap.push({ at, key, version });
    this.up(this.heap.length - 1);
  }

  cancel(key: string): void {
    this.versions.delete(key);
  }

  /** Removes and returns the keys due at `now`, earliest first. */
  take(now: number): string[] {
    const due: string[] = [];
    while (this.heap.length > 0 && this.heap[0].at <= now) {
      const top = this.pop();
      if (this.versions.get(top.key) !== top.version) continue;
      this.versions.delete(top.key);
      due.push(top.key);
    }
    return due;
  }

  private pop(): { at: number; key: string; version: number } {
    const top = this.heap[0];
    const last = this.heap.pop()!;
    if (this.heap.length > 0) {
      this.heap[0] = last;
      this.down(0);
    }
    return top;
  }

  private up(i: number): void {
    const h = this.heap;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (h[parent].at <= h[i].at) return;
      [h[parent], h[i]] = [h[i], h[parent]];
      i = parent;
    }
  }

  private down(i: number): void {
    const h = this.heap;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && h[l].at < h[m].at) m = l;
      if (r < h.length && h[r].at < h[m].at) m = r;
      if (m === i) return;
      [h[m], h[i]] = [h[i], h[m]];
      i = m;
    }
  }
}
