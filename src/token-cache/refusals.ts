import type { Clock } from '../clock/clock';
import type { MintIdentity } from '../mint/mint.types';
import { EcrAuthError } from '../errors/ecr-auth.error';
import { DeniedMemory } from './denied-memory';
import { RefusalBudget } from './refusal-budget';

/**
 * What the cache refuses without asking AWS: a refusal remembered per full identity, and a
 * customer role whose budget of refused AssumeRoles is spent for the window.
 */
export class Refusals {
  private readonly denied: DeniedMemory;
  private readonly budget: RefusalBudget;

  constructor(windowMs: number, maxEntries: number, clock: Clock) {
    this.denied = new DeniedMemory(windowMs, maxEntries, clock);
    this.budget = new RefusalBudget(windowMs, maxEntries, clock);
  }

  /** The refusal remembered for this key, as a fresh error. */
  recall(key: string): EcrAuthError | undefined {
    return this.denied.recall(key);
  }

  /** Throws the local refusal when the identity's role has spent its budget. */
  assertBudget(identity: MintIdentity): void {
    if (identity.key.kind === 'role') this.budget.assertAvailable(identity.key.role.arn);
  }

  /** A refusal by AWS: remembered for the identity, and counted against its role's budget. */
  remember(key: string, identity: MintIdentity, error: EcrAuthError, labels: readonly string[]): void {
    this.denied.remember(key, error, labels);
    if (error.code === 'ASSUME_ROLE_DENIED' && identity.key.kind === 'role') this.budget.refused(identity.key.role.arn);
  }

  /** Forgets the refusals under a label (and, for a role, its spent budget); how many remembered ones. */
  forget(label: string): number {
    if (label.startsWith('role:')) this.budget.forget(label.slice('role:'.length));
    return this.denied.forget(label);
  }
}
