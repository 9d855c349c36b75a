/** STS actions: AssumeRole and GetCallerIdentity (query protocol, XML answers). */
import { AwsError, STS_XMLNS } from './aws-error';
import { validateAssumeRole } from './assume-role.validate';
import { assertRegionEnabled } from './caller.auth';
import { assumedRoleArn, type Caller, type IdentityStore, type StoredRole, type StoredSession } from './identity.store';
import * as random from './random.util';
import { policyAllows } from './session-policy.eval';
import { el, isoSeconds } from './xml.util';

export interface StsContext {
  action: string;
  params: Record<string, string>;
  caller: Caller;
  region: string;
  now: number;
  store: IdentityStore;
}

/** Handles one STS call; returns the XML body or throws an AwsError. */
export function handleSts(ctx: StsContext): string {
  assertRegionEnabled(ctx.store, ctx.region, ctx.caller);
  switch (ctx.action) {
    case 'AssumeRole':
      return assumeRole(ctx);
    case 'GetCallerIdentity':
      return wrap(
        'GetCallerIdentity',
        `${el('Arn', ctx.caller.arn)}${el('UserId', ctx.caller.userId)}${el('Account', ctx.caller.account)}`,
      );
    default:
      throw new AwsError(
        400,
        'InvalidAction',
        `Could not find operation ${ctx.action} for version ${ctx.params['Version'] ?? 'NO_VERSION_SPECIFIED'}`,
      );
  }
}

function wrap(action: string, result: string): string {
  return (
    `<${action}Response xmlns="${STS_XMLNS}">\n  <${action}Result>${result}</${action}Result>\n` +
    `  <ResponseMetadata>${el('RequestId', random.requestId())}</ResponseMetadata>\n</${action}Response>\n`
  );
}

/** Does a trust statement's principal name this caller? */
function principalMatches(principal: string, caller: Caller): boolean {
  if (principal === '*' || principal === caller.arn) return true;
  if (principal === caller.account || principal === `arn:${caller.partition}:iam::${caller.account}:root`) return true;
  return caller.session !== undefined && principal === caller.session.roleArn;
}

/** Does a statement's action list (default sts:AssumeRole) cover `action`? */
function allowsAction(actions: readonly string[] | undefined, action: string): boolean {
  return (actions ?? ['sts:AssumeRole']).some((a) => a === action || a === 'sts:*' || a === '*');
}

/** Does a trust statement allow `action` to this caller, its condition holding for the request? */
function trusts(role: StoredRole, caller: Caller, externalId: string | undefined, action = 'sts:AssumeRole'): boolean {
  return role.trust.some(
    (t) =>
      allowsAction(t.actions, action) &&
      principalMatches(t.principal, caller) &&
      (t.externalId === undefined || t.externalId === externalId),
  );
}

/** The role behind a session, as currently configured (undefined when removed). */
function callerRole(ctx: StsContext): StoredRole | undefined {
  return ctx.caller.session ? ctx.store.roles.get(ctx.caller.session.roleArn) : undefined;
}

function assumeRole(ctx: StsContext): string {
  const req = validateAssumeRole(ctx.params);
  const { caller, store } = ctx;
  const denied = (why = ''): AwsError =>
    new AwsError(
      403,
      'AccessDenied',
      `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${req.roleArn}${why}`,
    );

  // The caller's own permissions (a session's role, then its session policy).
  if (caller.session) {
    const own = callerRole(ctx);
    if (!own?.assumeRole) throw denied(' because no identity-based policy allows the sts:AssumeRole action');
    const policy = caller.session.policyDoc;
    if (policy && !policyAllows(policy, 'sts:AssumeRole', req.roleArn))
      throw denied(' because no session policy allows the sts:AssumeRole action');
  }
  const role = store.roles.get(req.roleArn);
  // A role of another partition cannot be reached with these credentials: same answer as an unknown role.
  if (!role || role.partition !== caller.partition || !trusts(role, caller, req.externalId)) throw denied();

  // A SourceIdentity is set once: a session that carries one passes it on (which needs
  // sts:SetSourceIdentity again) and may not change it. Tags need sts:TagSession.
  const carried = caller.session?.sourceIdentity;
  const deniedFor = (action: string, why = ''): AwsError =>
    new AwsError(
      403,
      'AccessDenied',
      `User: ${caller.arn} is not authorized to perform: ${action} on resource: ${req.roleArn}${why}`,
    );
  if (carried !== undefined && req.sourceIdentity !== undefined && req.sourceIdentity !== carried)
    throw deniedFor('sts:SetSourceIdentity', ' because the source identity of the session cannot be changed');
  const sourceIdentity = carried ?? req.sourceIdentity;
  for (const [action, used] of [
    ['sts:SetSourceIdentity', sourceIdentity !== undefined],
    ['sts:TagSession', req.tags.length > 0],
  ] as const) {
    if (!used) continue;
    const policy = caller.session?.policyDoc;
    if (policy && !policyAllows(policy, action, req.roleArn))
      throw deniedFor(action, ` because no session policy allows the ${action} action`);
    if (!trusts(role, caller, req.externalId, action)) throw deniedFor(action);
  }

  const chained = caller.session !== undefined;
  if (chained && req.durationSeconds > 3600) {
    throw new AwsError(
      400,
      'ValidationError',
      'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
    );
  }
  if (req.durationSeconds > role.maxSessionDurationSeconds) {
    throw new AwsError(
      400,
      'ValidationError',
      'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
    );
  }

  const session: StoredSession = {
    accessKeyId: random.sessionAccessKeyId(),
    secretAccessKey: random.secretAccessKey(),
    sessionToken: random.sessionToken(),
    expiresAt: ctx.now + req.durationSeconds * 1000,
    roleArn: role.arn,
    roleName: role.roleName,
    roleId: role.roleId,
    partition: role.partition,
    account: role.account,
    sessionName: req.roleSessionName,
    externalId: req.externalId,
    policy: req.policy?.text,
    policyDoc: req.policy,
    chained,
    ...(sourceIdentity === undefined ? {} : { sourceIdentity }),
    ...(req.tags.length ? { tags: req.tags.map((t) => ({ ...t })) } : {}),
    sourceArn: caller.arn,
    issuedAt: ctx.now,
  };
  store.sessions.set(session.accessKeyId, session);

  const credentials =
    `<Credentials>${el('AccessKeyId', session.accessKeyId)}${el('SecretAccessKey', session.secretAccessKey)}` +
    `${el('SessionToken', session.sessionToken)}${el('Expiration', isoSeconds(session.expiresAt))}</Credentials>`;
  const user = `<AssumedRoleUser>${el('AssumedRoleId', `${role.roleId}:${session.sessionName}`)}${el('Arn', assumedRoleArn(session))}</AssumedRoleUser>`;
  const packed = req.policy
    ? el('PackedPolicySize', String(Math.max(1, Math.ceil((req.policy.text.length / 2048) * 100))))
    : '';
  const source = session.sourceIdentity === undefined ? '' : el('SourceIdentity', session.sourceIdentity);
  return wrap('AssumeRole', `${credentials}${user}${packed}${source}`);
}
