import { EcrAuthError } from '../errors/ecr-auth.error';

interface Remembered {
  readonly error: EcrAuthError;
  readonly until: number;
  readonly labels: readonly string[];
}

/**
 * Refusals by AWS remembered per full identity for a short while (ECR_AUTH_DENIED_CACHE_SECONDS),
 * so a misconfigured customer cannot hammer STS. Bounded: the oldest are dropped first.
 */
export class DeniedMemory {
  private readonly entries = new Map<string, Remembered>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
  ) {}

  remember(key: string, error: EcrAuthError, now: number, labels: readonly string[]): void {
    if (this.ttlMs <= 0 || !error.remembered) return;
    this.entries.delete(key);
    this.entries.set(key, { error, until: now + this.ttlMs, labels });
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
  }

  /** The remembered refusal, as a fresh error, while it lasts. */
  recall(key: string, now: number): EcrAuthError | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    if (now >= hit.until || now < hit.until - this.ttlMs) {
      this.entries.delete(key);
      return undefined;
    }
    return new EcrAuthError(
      hit.error.code,
      `${hit.error.message} (remembered for a few seconds; fix the cause, or clear it with DELETE /registry-auth/cache)`,
      { cause: hit.error.cause },
    );
  }

  /** Forgets every refusal carrying one of the labels; returns how many. */
  forget(label: string): number {
    let n = 0;
    for (const [key, r] of this.entries) {
      if (r.labels.includes(label)) {
        this.entries.delete(key);
        n++;
      }
    }
    return n;
  }
}
