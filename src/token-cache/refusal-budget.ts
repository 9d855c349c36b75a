import { LRUCache } from 'lru-cache';
import type { Clock } from '../clock/clock';
import { EcrAuthError } from '../errors/ecr-auth.error';
import type { MintIdentity } from '../mint/mint.types';

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

  /** Counts a refusal of the identity's AssumeRole by STS against its role; other failures do not count. */
  refused(identity: MintIdentity, error: EcrAuthError): void {
    if (this.windowMs <= 0 || error.code !== 'ASSUME_ROLE_DENIED' || identity.key.kind !== 'role') return;
    const roleArn = identity.key.role.arn;
    const spent = this.spent.get(roleArn);
    if (spent) spent.count++;
    else this.spent.set(roleArn, { count: 1, since: this.clock() }, { ttl: this.windowMs });
  }

  /** The local refusal once the identity's role has spent its budget for this window. */
  spentFor(identity: MintIdentity): EcrAuthError | undefined {
    if (identity.key.kind !== 'role') return undefined;
    const roleArn = identity.key.role.arn;
    const spent = this.spent.get(roleArn);
    if (!spent || spent.count < REFUSALS_PER_WINDOW) return undefined;
    const seconds = Math.max(1, Math.ceil((spent.since + this.windowMs - this.clock()) / 1000));
    return new EcrAuthError(
      'ASSUME_ROLE_DENIED',
      `STS refused ${roleArn} ${spent.count} times within ${this.windowMs / 1000} s (its trust policy or the external IDs sent): refused locally, without asking STS, for ${seconds} s more. Fix the trust policy or the external ID, then retry (DELETE /registry-auth/cache for the role clears this).`,
      { retryAfterSeconds: seconds },
    );
  }

  /** Forgets a role's spent budget when its label (`role:<arn>`) is evicted. */
  forget(label: string): void {
    if (label.startsWith('role:')) this.spent.delete(label.slice('role:'.length));
  }
}
