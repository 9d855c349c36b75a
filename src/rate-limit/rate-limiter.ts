import { LRUCache } from 'lru-cache';
import type { Clock } from '../clock/clock';

interface Window {
  start: number;
  count: number;
  previous: number;
}

/** Callers tracked at once; past it the least recently seen is forgotten (address churn when auth is off). */
const MAX_CALLERS = 100_000;

/**
 * Requests per caller per minute, as a sliding window approximated from two fixed windows
 * (the previous window's count weighted by how much of it still overlaps): O(1) per
 * request and a few numbers per caller.
 */
export class RateLimiter {
  private readonly windows = new LRUCache<string, Window>({ max: MAX_CALLERS });

  constructor(
    private readonly limit: number,
    private readonly clock: Clock,
    private readonly windowMs = 60_000,
  ) {}

  get enabled(): boolean {
    return this.limit > 0;
  }

  /** Counts a request; returns undefined when allowed (or the limit is off), else the seconds to wait (Retry-After). */
  take(caller: string): number | undefined {
    if (this.limit <= 0) return undefined;
    const now = this.clock();
    let w = this.windows.get(caller);
    if (!w) this.windows.set(caller, (w = { start: now, count: 0, previous: 0 }));
    const elapsed = now - w.start;
    if (elapsed >= this.windowMs || elapsed < 0) {
      w.previous = elapsed < 2 * this.windowMs && elapsed >= 0 ? w.count : 0;
      w.start = elapsed >= 0 ? now - (elapsed % this.windowMs) : now;
      w.count = 0;
    }
    const overlap = 1 - (now - w.start) / this.windowMs;
    if (w.count + w.previous * overlap >= this.limit) {
      return Math.max(1, Math.ceil((w.start + this.windowMs - now) / 1000));
    }
    w.count++;
    return undefined;
  }
}
