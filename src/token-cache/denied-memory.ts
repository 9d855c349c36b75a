import { LRUCache } from 'lru-cache';
import type { Clock } from '../clock/clock';
import { EcrAuthError } from '../errors/ecr-auth.error';

interface Remembered {
  readonly error: EcrAuthError;
  readonly at: number;
  readonly labels: readonly string[];
}

/**
 * Refusals by AWS remembered per full identity for a short while (ECR_AUTH_DENIED_CACHE_SECONDS),
 * so a misconfigured customer cannot hammer STS. An LRU with that window as TTL, on the
 * injected clock.
 */
export class DeniedMemory {
  private readonly entries: LRUCache<string, Remembered>;

  constructor(
    private readonly ttlMs: number,
    maxEntries: number,
    private readonly clock: Clock,
  ) {
    this.entries = new LRUCache<string, Remembered>({
      max: maxEntries,
      perf: { now: clock },
      ttlResolution: 0,
    });
  }

  remember(key: string, error: EcrAuthError, labels: readonly string[]): void {
    if (this.ttlMs <= 0 || !error.remembered) return;
    this.entries.set(key, { error, at: this.clock(), labels }, { ttl: this.ttlMs });
  }

  /** The remembered refusal, as a fresh error, while it lasts. */
  recall(key: string): EcrAuthError | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    // The window is [at, at + ttl); a clock that moved backwards past the remembering ends it.
    const now = this.clock();
    if (now < hit.at || now >= hit.at + this.ttlMs) {
      this.entries.delete(key);
      return undefined;
    }
    return new EcrAuthError(
      hit.error.code,
      `${hit.error.message} (remembered for a few seconds; fix the cause, or clear it with DELETE /registry-auth/cache)`,
      { cause: hit.error.cause },
    );
  }

  /** Forgets every live refusal carrying the label; returns how many. */
  forget(label: string): number {
    // Collected first: deleting while the LRU's list is walked is not safe.
    const doomed = [...this.entries.entries()].filter(([, r]) => r.labels.includes(label));
    for (const [key] of doomed) this.entries.delete(key);
    return doomed.length;
  }
}
