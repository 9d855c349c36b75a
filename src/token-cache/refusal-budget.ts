import { LRUCache } from 'lru-cache';
import type { Clock } from '../clock/clock';
import { EcrAuthError } from '../errors/ecr-auth.error';

/** Refused AssumeRole calls a customer role may cost per window, whatever external IDs they carried. */
export const REFUSALS_PER_WINDOW = 5;

interface Spent {
  count: number;
  readonly since: number;
}

/**
 * A budget of refused AssumeRole calls per customer role ARN per ECR_AUTH_DENIED_CACHE_SECONDS
 * window. The denied memory remembers refusals per full identity, so a caller guessing
 * external IDs would turn every guess into an STS call; STS throttles per account of the
 * caller (the service's own), so one caller's guessing would throttle every customer. Past the
 * budget, new identities of the role are refused locally until the window ends.
 */
export class RefusalBudget {
  private readonly spent: LRUCache<string, Spent>;

  constructor(
    private readonly windowMs: number,
    maxRoles: number,
    private readonly clock: Clock,
  ) {
    this.spent = new LRUCache<string, Spent>({ max: maxRoles, perf: { now: clock }, ttlResolution: 0 });
  }

  /** Counts one refusal by STS of the role. */
  refused(roleArn: string): void {
    if (this.windowMs <= 0) return;
    const spent = this.spent.get(roleArn);
    if (spent) spent.count++;
    else this.spent.set(roleArn, { count: 1, since: this.clock() }, { ttl: this.windowMs });
  }

  /** Throws the local refusal once the role's budget is spent for this window. */
  assertAvailable(roleArn: string): void {
    const spent = this.spent.get(roleArn);
    if (!spent || spent.count < REFUSALS_PER_WINDOW) return;
    const seconds = Math.max(1, Math.ceil((spent.since + this.windowMs - this.clock()) / 1000));
    throw new EcrAuthError(
      'ASSUME_ROLE_DENIED',
      `STS refused ${roleArn} ${spent.count} times within ${this.windowMs / 1000} s (its trust policy or the external IDs sent): refused locally, without asking STS, for ${seconds} s more. Fix the trust policy or the external ID, then retry (DELETE /registry-auth/cache for the role clears this).`,
      { retryAfterSeconds: seconds },
    );
  }

  /** Forgets a role's spent budget (eviction of the role). */
  forget(roleArn: string): boolean {
    return this.spent.delete(roleArn);
  }
}
