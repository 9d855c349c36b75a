/** What the emulator knows: users, roles, issued sessions and tokens, disabled regions. */
import { parseArn, parseRoleArn } from './arn.util';
import type { IssuedEcrToken, IssuedSession, RoleSpec, TrustStatement, UserSpec } from './emulator.types';
import { uniqueId } from './random.util';
import type { SessionPolicy } from './session-policy.eval';

export interface StoredUser {
  arn: string;
  accessKeyId: string;
  secretAccessKey: string;
  account: string;
  partition: string;
  userId: string;
}

export interface StoredRole {
  arn: string;
  roleName: string;
  roleId: string;
  account: string;
  partition: string;
  trust: TrustStatement[];
  maxSessionDurationSeconds: number;
  ecr: boolean;
  ecrPublic: boolean;
  assumeRole: boolean;
}

export interface StoredSession extends IssuedSession {
  policyDoc?: SessionPolicy;
}

/** The authenticated caller of a request. */
export interface Caller {
  arn: string;
  account: string;
  partition: string;
  userId: string;
  accessKeyId: string;
  /** Present when the caller uses temporary credentials from AssumeRole. */
  session?: StoredSession;
}

export class IdentityStore {
  readonly users = new Map<string, StoredUser>();
  readonly roles = new Map<string, StoredRole>();
  readonly sessions = new Map<string, StoredSession>();
  readonly disabledRegions = new Set<string>();
  readonly ecrTokens: IssuedEcrToken[] = [];

  /** Adds (or replaces, by access key id) a user. Throws on a malformed ARN. */
  addUser(u: UserSpec): void {
    const p = parseArn(u.arn);
    if (!p || p.service !== 'iam' || !p.account)
      throw new Error(`AwsEmulator.addUser: not an IAM principal ARN: ${u.arn}`);
    if (!u.accessKeyId || !u.secretAccessKey)
      throw new Error('AwsEmulator.addUser: accessKeyId and secretAccessKey are required');
    const previous = [...this.users.values()].find((x) => x.arn === u.arn);
    this.users.set(u.accessKeyId, {
      arn: u.arn,
      accessKeyId: u.accessKeyId,
      secretAccessKey: u.secretAccessKey,
      account: p.account,
      partition: p.partition,
      userId: previous?.userId ?? uniqueId('AIDA'),
    });
  }

  /** Adds (or replaces, by ARN) a role. Throws on a malformed ARN. */
  addRole(r: RoleSpec): void {
    const p = parseRoleArn(r.arn);
    if (!p) throw new Error(`AwsEmulator.addRole: not an IAM role ARN: ${r.arn}`);
    this.roles.set(r.arn, {
      arn: r.arn,
      roleName: p.roleName,
      roleId: this.roles.get(r.arn)?.roleId ?? uniqueId('AROA'),
      account: p.account,
      partition: p.partition,
      trust: r.trust.map((t) => ({ ...t })),
      maxSessionDurationSeconds: r.maxSessionDurationSeconds ?? 3600,
      ecr: r.ecr ?? true,
      ecrPublic: r.ecrPublic ?? true,
      assumeRole: r.assumeRole ?? true,
    });
  }

  /** Sets the expiry of every issued session of a role to `now`; returns how many. */
  endSessions(roleArn: string, now: number): number {
    const ended = [...this.sessions.values()].filter((s) => s.roleArn === roleArn);
    for (const session of ended) session.expiresAt = now;
    return ended.length;
  }

  /** Deletes every issued session of a role; returns how many. */
  forgetSessions(roleArn: string): number {
    const forgotten = [...this.sessions.entries()].filter(([, s]) => s.roleArn === roleArn);
    for (const [key] of forgotten) this.sessions.delete(key);
    return forgotten.length;
  }

  /** Copies of the issued sessions, without their session policies. */
  issuedSessions(): IssuedSession[] {
    return [...this.sessions.values()].map(({ policyDoc: _omit, ...s }) => ({ ...s }));
  }

  /** Finds the identity behind an access key id (user or session), without checking anything. */
  lookup(accessKeyId: string): { user?: StoredUser; session?: StoredSession } {
    return { user: this.users.get(accessKeyId), session: this.sessions.get(accessKeyId) };
  }
}

/** `arn:<p>:sts::<account>:assumed-role/<role name>/<session name>` */
export function assumedRoleArn(s: Pick<IssuedSession, 'partition' | 'account' | 'roleName' | 'sessionName'>): string {
  return `arn:${s.partition}:sts::${s.account}:assumed-role/${s.roleName}/${s.sessionName}`;
}

/** The Caller for a user or a session. */
export function callerOf(found: { user?: StoredUser; session?: StoredSession }): Caller | undefined {
  if (found.user) {
    const u = found.user;
    return { arn: u.arn, account: u.account, partition: u.partition, userId: u.userId, accessKeyId: u.accessKeyId };
  }
  const s = found.session;
  if (!s) return undefined;
  return {
    arn: assumedRoleArn(s),
    account: s.account,
    partition: s.partition,
    userId: `${s.roleId}:${s.sessionName}`,
    accessKeyId: s.accessKeyId,
    session: s,
  };
}
