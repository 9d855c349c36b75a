import type { AppConfig } from '../config/app-config';
import type { RegistryHost } from '../registry/registry-host';
import type { RoleArn } from '../registry/role-arn';
import { customerSessionName, jumpSessionName } from './session-name';
import { hopDurationSeconds } from './session-duration';
import type { SessionTag } from './session-tags';

/** One AssumeRole of the chain, fully decided before any call. */
export interface ChainHop {
  readonly step: 'jump' | 'customer';
  readonly roleArn: string;
  readonly externalId?: string;
  readonly sessionName: string;
  readonly durationSeconds: number;
  /** Inline session policy that down-scopes the session (customer hop only). */
  readonly policy?: string;
  /**
   * The caller's SourceIdentity (customer hop only: the jump session is shared by every
   * caller, and a SourceIdentity set on it could never change further down the chain).
   */
  readonly sourceIdentity?: string;
  /** Session tags (customer hop only). */
  readonly tags?: readonly SessionTag[];
}

export interface CustomerTarget {
  readonly role: RoleArn;
  readonly externalId?: string;
  readonly host: RegistryHost;
  readonly policy?: string;
  readonly sourceIdentity?: string;
  readonly sessionTags?: readonly SessionTag[];
}

/**
 * The chain as an explicit list of hops: service identity → [jump role] → customer role.
 * Pure: the same inputs and clock give the same plan.
 */
export function planChain(
  target: CustomerTarget,
  config: Pick<AppConfig, 'jumpRole' | 'sessionDurationSeconds'>,
  nowMs: number,
): ChainHop[] {
  const durationSeconds = hopDurationSeconds(config.sessionDurationSeconds);
  const jump = planJumpHop(config, nowMs);
  const hops: ChainHop[] = jump ? [jump] : [];
  hops.push({
    step: 'customer',
    roleArn: target.role.arn,
    externalId: target.externalId,
    sessionName: customerSessionName(target.role.account, target.host.host, nowMs),
    durationSeconds,
    policy: target.policy,
    sourceIdentity: target.sourceIdentity,
    tags: target.sessionTags,
  });
  return hops;
}

/** The jump hop alone, or undefined when the service assumes customer roles directly. */
export function planJumpHop(
  config: Pick<AppConfig, 'jumpRole' | 'sessionDurationSeconds'>,
  nowMs: number,
): ChainHop | undefined {
  if (!config.jumpRole) return undefined;
  return {
    step: 'jump',
    roleArn: config.jumpRole.role.arn,
    externalId: config.jumpRole.externalId,
    sessionName: jumpSessionName(nowMs),
    durationSeconds: hopDurationSeconds(config.sessionDurationSeconds),
  };
}
