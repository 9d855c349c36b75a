import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Caller } from '../auth/caller';
import type { Clock } from '../clock/clock';

interface Entry {
  readonly caller: Caller;
  readonly expiresAtMs: number;
}

/**
 * Verified JWTs, remembered until their `exp` so a build that sends the same token many times
 * has it verified once. Keyed by the token's SHA-256, never the token; bounded in entries
 * (least recently used go first); time from the injected clock.
 */
export class VerifiedMemo {
  private readonly entries: LRUCache<string, Entry>;

  constructor(
    private readonly clock: Clock,
    max = 10_000,
  ) {
    this.entries = new LRUCache<string, Entry>({ max, perf: { now: clock } });
  }

  /** The key a token is remembered under. */
  static keyOf(token: string): string {
    return createHash('sha256').update(token).digest('base64url');
  }

  get(key: string): Caller | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    // The LRU's TTL also reads the clock; this check makes `exp` exact whatever its rounding.
    if (this.clock() >= entry.expiresAtMs) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.caller;
  }

  set(key: string, caller: Caller, expiresAtMs: number): void {
    const ttl = expiresAtMs - this.clock();
    if (ttl > 0) this.entries.set(key, { caller, expiresAtMs }, { ttl });
  }

  /** Forgets every verdict (an issuer's keys changed: a removed key must stop working now). */
  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
