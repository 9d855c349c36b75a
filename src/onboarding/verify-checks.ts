import type { EcrAuthError } from '../errors/ecr-auth.error';
import type { VerifyTarget } from './verify-target';

/** The checks of POST /registry-auth/verify, in the order they are answered. */
export const CHECK_NAMES = [
  'assume-with-external-id',
  'assume-without-external-id-refused',
  'ecr-token',
  'set-source-identity',
  'tag-session',
] as const;
export type CheckName = (typeof CHECK_NAMES)[number];

/** Checks every answer has; the others only when the deployment uses what they check. */
export const REQUIRED_CHECKS: readonly CheckName[] = [
  'assume-with-external-id',
  'assume-without-external-id-refused',
  'ecr-token',
];

export interface VerifyCheck {
  readonly name: CheckName;
  readonly ok: boolean;
  readonly message: string;
}

export interface VerifyResult {
  readonly ok: boolean;
  readonly checks: readonly VerifyCheck[];
}

/** How one upstream step ended: it worked, or AWS refused it with an error about the customer's setup. */
export type StepOutcome = { readonly ok: true } | { readonly ok: false; readonly error: EcrAuthError };

/**
 * Whether a failure says something about the customer's role (a verdict, answered as a
 * failed check) rather than about the service or AWS (answered as the usual error: an outage
 * or an operator problem must not read as a broken customer role).
 */
export function isVerdict(e: EcrAuthError): boolean {
  return e.code === 'ASSUME_ROLE_DENIED' || e.code === 'INVALID_REGISTRY_KEY' || e.code === 'ECR_ACCESS_DENIED';
}

const generate = (extra = '') => `GET /onboarding/policies?externalId=<the external ID>${extra} gives the documents`;

/** Who the customer's trust policy must name. */
export function trustedPrincipal(jumpRoleArn: string | undefined): string {
  return jumpRoleArn ? `the jump role ${jumpRoleArn}` : "the service's own identity";
}

export function withExternalIdCheck(t: VerifyTarget, principal: string, outcome: StepOutcome): VerifyCheck {
  const name = 'assume-with-external-id';
  if (outcome.ok) return { name, ok: true, message: `STS let ${principal} assume ${t.role.arn} with the external ID.` };
  if (outcome.error.code !== 'ASSUME_ROLE_DENIED') return { name, ok: false, message: outcome.error.message };
  return {
    name,
    ok: false,
    message:
      `STS refused to assume ${t.role.arn} with the external ID. The role's trust policy must allow sts:AssumeRole to ${principal} ` +
      `with the condition {"StringEquals":{"sts:ExternalId":"<the external ID>"}} holding exactly the external ID agreed for this customer; ` +
      `check the role ARN, the account and that external ID (${generate()}).`,
  };
}

export function withoutExternalIdCheck(t: VerifyTarget, principal: string, outcome: StepOutcome): VerifyCheck {
  const name = 'assume-without-external-id-refused';
  if (!outcome.ok && outcome.error.code === 'ASSUME_ROLE_DENIED') {
    return {
      name,
      ok: true,
      message:
        'STS refused to assume the role without an external ID: the trust policy demands sts:ExternalId, as it must.',
    };
  }
  if (!outcome.ok)
    return {
      name,
      ok: false,
      message: `Could not tell whether the role demands an external ID: ${outcome.error.message}`,
    };
  return {
    name,
    ok: false,
    message:
      `STS let ${principal} assume ${t.role.arn} WITHOUT an external ID: the role is open to the confused deputy ` +
      `(any other customer of this service could name this role and get its registry credentials). ` +
      `Fix the trust policy: add the condition {"StringEquals":{"sts:ExternalId":"<the external ID>"}} to the statement that allows ${principal}, ` +
      `and remove any other statement that allows it without that condition (${generate()}).`,
  };
}

export function ecrTokenCheck(t: VerifyTarget, outcome: StepOutcome | 'skipped'): VerifyCheck {
  const name = 'ecr-token';
  const where = `${t.host.host} (${t.host.kind === 'public' ? 'ECR Public, us-east-1' : t.host.region})`;
  if (outcome === 'skipped') return notRun(name);
  if (outcome.ok)
    return { name, ok: true, message: `GetAuthorizationToken works with the role's session for ${where}.` };
  if (outcome.error.code !== 'ECR_ACCESS_DENIED') return { name, ok: false, message: outcome.error.message };
  const missing =
    t.host.kind === 'public'
      ? 'ecr-public:GetAuthorizationToken and sts:GetServiceBearerToken'
      : 'ecr:GetAuthorizationToken';
  return {
    name,
    ok: false,
    message:
      `The role was assumed, but its session may not call GetAuthorizationToken for ${where}: add ${missing} on "Resource": "*" ` +
      `to the permissions policy of ${t.role.arn}, with the image actions on its repositories (${generate('&access=pull|push')}).`,
  };
}

const SESSION_CONTEXT = {
  'set-source-identity': {
    action: 'sts:SetSourceIdentity',
    what: 'a SourceIdentity naming the caller (ECR_AUTH_SOURCE_IDENTITY=caller)',
  },
  'tag-session': { action: 'sts:TagSession', what: 'session tags (ECR_AUTH_SESSION_TAG_KEYS)' },
} as const;

/**
 * Whether the role lets the principal set what this deployment sets on its sessions: the
 * role assumed with the external ID and a SourceIdentity, or a session tag.
 */
export function sessionContextCheck(
  name: 'set-source-identity' | 'tag-session',
  t: VerifyTarget,
  principal: string,
  outcome: StepOutcome | 'skipped',
): VerifyCheck {
  const { action, what } = SESSION_CONTEXT[name];
  if (outcome === 'skipped') return notRun(name);
  if (outcome.ok)
    return { name, ok: true, message: `STS let ${principal} set ${what} on a session of ${t.role.arn} (${action}).` };
  return { name, ok: false, message: outcome.error.message };
}

/** The answer: checks in their fixed order, ok when every one is and none required is missing. */
export function verdict(checks: readonly VerifyCheck[]): VerifyResult {
  const ordered = CHECK_NAMES.map((n) => checks.find((c) => c.name === n)).filter(
    (c): c is VerifyCheck => c !== undefined,
  );
  const complete = REQUIRED_CHECKS.every((n) => ordered.some((c) => c.name === n));
  return { ok: complete && ordered.every((c) => c.ok), checks: ordered };
}

/** A check that needs the role assumed with the external ID, when that failed. */
function notRun(name: VerifyCheck['name']): VerifyCheck {
  return {
    name,
    ok: false,
    message: 'Not run: the role could not be assumed with the external ID (see assume-with-external-id).',
  };
}
