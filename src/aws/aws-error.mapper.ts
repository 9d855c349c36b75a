import { EcrAuthError } from '../errors/ecr-auth.error';
import { AwsFailure } from './aws-error.classify';

/** Which step of the chain a call belongs to: decides whose fault a failure is. */
export type Hop =
  | { readonly step: 'jump'; readonly roleArn: string }
  | {
      readonly step: 'customer';
      readonly roleArn: string;
      readonly trustedPrincipal?: string;
      readonly externalIdSent: boolean;
      readonly viaJump: boolean;
    }
  | {
      readonly step: 'ecr';
      readonly service: 'ecr' | 'ecr-public';
      readonly registry: string;
      readonly keyKind: 'role' | 'static';
      readonly roleArn?: string;
      /** The registry's region (its API's), for traces. */
      readonly region?: string;
    }
  | { readonly step: 'identity' };

/** What an upstream failure keeps as its cause: for logs, and for the chain's expiry retry. */
export interface UpstreamCause {
  readonly name: string;
  readonly kind: AwsFailure['kind'];
  readonly status?: number;
  readonly detail: string;
  readonly hop: Hop['step'];
}

// What STS and ECR answer for a session they ended early or no longer know.
const REJECTED_SESSION = new Set([
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
]);

/**
 * A held session was rejected as expired or unknown (revoked, ended early, a clock that
 * jumped): the chain drops it and assumes that hop again, once, within the request.
 */
export function isRejectedSession(e: unknown): boolean {
  const name = (e as { cause?: Partial<UpstreamCause> } | undefined)?.cause?.name;
  return name !== undefined && REJECTED_SESSION.has(name);
}

/**
 * Turns a classified AWS failure into the contract's error with a message that says what
 * to check and who can fix it. Never includes credentials or an external ID.
 */
export function toEcrAuthError(f: AwsFailure, hop: Hop): EcrAuthError {
  const cause: UpstreamCause = { name: f.name, kind: f.kind, status: f.status, detail: f.detail, hop: hop.step };
  switch (f.kind) {
    case 'throttled':
      return new EcrAuthError(
        'UPSTREAM_THROTTLED',
        `${service(hop)} is throttling requests (${f.name}); retry after the indicated delay.`,
        { cause },
      );
    case 'unavailable':
      return new EcrAuthError('UPSTREAM_UNAVAILABLE', `${service(hop)} is failing (${f.name}); retry later.`, {
        cause,
      });
    case 'timeout':
      return new EcrAuthError('UPSTREAM_TIMEOUT', `${service(hop)} did not answer in time; retry later.`, { cause });
    case 'region-disabled':
      return new EcrAuthError(
        'STS_REGION_DISABLED',
        'STS is not activated in the region this service uses (AWS_REGION): activate it for the account in IAM account settings, or run the service with another AWS_REGION.',
        { cause },
      );
    default:
      return byHop(f, hop, cause);
  }
}

function byHop(f: AwsFailure, hop: Hop, cause: object): EcrAuthError {
  switch (hop.step) {
    case 'identity':
      return serviceCredentials(f, cause);
    case 'jump':
      if (f.kind === 'caller-credentials' || f.kind === 'caller-credentials-expired')
        return serviceCredentials(f, cause);
      return new EcrAuthError(
        'JUMP_ROLE_FAILED',
        `The service could not assume its jump role ${hop.roleArn} (${f.name}${f.detail ? `: ${f.detail}` : ''}). This is the operator's configuration, not the customer's: check ECR_AUTH_JUMP_ROLE_ARN, ECR_AUTH_JUMP_EXTERNAL_ID and that the jump role trusts the service identity.`,
        { cause },
      );
    case 'customer':
      return customer(f, hop, cause);
    case 'ecr':
      return ecr(f, hop, cause);
  }
}

// STS names the action it refused: "User: … is not authorized to perform: sts:TagSession on resource: …".
const SESSION_ACTIONS = ['sts:SetSourceIdentity', 'sts:TagSession'] as const;
const WHY: Record<(typeof SESSION_ACTIONS)[number], string> = {
  'sts:SetSourceIdentity': "this service sets the session's SourceIdentity to the name of its caller",
  'sts:TagSession': 'this request carries session tags',
};

function customer(f: AwsFailure, hop: Extract<Hop, { step: 'customer' }>, cause: object): EcrAuthError {
  const principal = hop.trustedPrincipal ?? "the service's identity";
  const action = f.kind === 'access-denied' ? SESSION_ACTIONS.find((a) => f.detail.includes(a)) : undefined;
  if (action) {
    const jump = hop.viaJump ? ", and the jump role's permissions policy must allow it on the role too" : '';
    return new EcrAuthError(
      'ASSUME_ROLE_DENIED',
      `STS refused ${action} on ${hop.roleArn} (${WHY[action]}). The role's trust policy must allow ${action} to ${principal}, in a statement of its own beside the one allowing sts:AssumeRole with the external ID${jump}; GET /onboarding/policies?externalId=<the external ID> gives the fixed trust policy.`,
      { cause },
    );
  }
  if (f.kind === 'access-denied') {
    const externalId = hop.externalIdSent
      ? 'and require (sts:ExternalId condition) exactly the external ID that was sent'
      : 'and the request must carry the external ID it requires';
    return new EcrAuthError(
      'ASSUME_ROLE_DENIED',
      `STS refused to assume ${hop.roleArn}. The role's trust policy must allow sts:AssumeRole to ${principal} ${externalId}; check the role ARN and the external ID stored for this registry.`,
      { cause },
    );
  }
  // Tags and the session policy share one packed size: the request's own tags or repositories
  // made it too large (STS's message gives the percentage).
  if (f.kind === 'policy-rejected' && f.name.startsWith('PackedPolicyTooLarge')) {
    return new EcrAuthError(
      'INVALID_REQUEST',
      `STS refused the session for ${hop.roleArn}: its session tags and session policy together are over STS's packed size limit (${f.detail || f.name}). Send fewer or shorter sessionTags or repositories.`,
      { cause },
    );
  }
  if (f.kind === 'validation') {
    return new EcrAuthError(
      'INVALID_REGISTRY_KEY',
      `STS rejected the request to assume ${hop.roleArn}: ${f.detail || f.name}. Check the role ARN and the external ID.`,
      { cause },
    );
  }
  if (f.kind === 'caller-credentials' || f.kind === 'caller-credentials-expired') {
    return hop.viaJump
      ? new EcrAuthError(
          'JUMP_ROLE_FAILED',
          `The jump role's session was refused by STS (${f.name}) while assuming ${hop.roleArn}: an operator problem; check the jump role configuration.`,
          { cause },
        )
      : serviceCredentials(f, cause);
  }
  return internal(f, cause);
}

function ecr(f: AwsFailure, hop: Extract<Hop, { step: 'ecr' }>, cause: object): EcrAuthError {
  if (f.kind === 'access-denied') {
    const who = hop.keyKind === 'role' ? `the role ${hop.roleArn}` : 'the given access key';
    return new EcrAuthError(
      'ECR_ACCESS_DENIED',
      `The credentials work, but ${who} may not call GetAuthorizationToken for ${hop.registry}: grant ecr:GetAuthorizationToken (ECR Public: ecr-public:GetAuthorizationToken and sts:GetServiceBearerToken) in its permissions policy.`,
      { cause },
    );
  }
  if (hop.keyKind === 'static' && (f.kind === 'caller-credentials' || f.kind === 'caller-credentials-expired')) {
    return new EcrAuthError(
      'INVALID_STATIC_CREDENTIALS',
      `AWS refused the given access key pair (${f.name}): it is unknown, wrong or expired. Check the access key id, the secret and, for temporary keys, the session token.`,
      { cause },
    );
  }
  return internal(f, cause);
}

function serviceCredentials(f: AwsFailure, cause: object): EcrAuthError {
  return new EcrAuthError(
    'SERVICE_CREDENTIALS_INVALID',
    `The service's own AWS identity is missing, invalid or expired (${f.name}): an operator problem. Check the credentials the service runs with (environment, profile, ECS/EKS role or instance profile).`,
    { cause },
  );
}

function internal(f: AwsFailure, cause: object): EcrAuthError {
  return new EcrAuthError(
    'INTERNAL',
    `Unexpected answer from AWS (${f.name}). The failure was logged with this request id.`,
    { cause },
  );
}

function service(hop: Hop): string {
  return hop.step === 'ecr' ? 'Amazon ECR' : 'AWS STS';
}
