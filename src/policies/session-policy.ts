import { canonicalJson } from './canonical-json';
import { Access, RegistryKind, ecrActions } from './ecr-actions';
import { RepositoryScope, scopedSessionPolicy } from './repository-scope';

/** STS's limit on an inline session policy, in characters of plain text. */
export const SESSION_POLICY_MAX_LENGTH = 2048;

export const POLICY_VERSION = '2012-10-17';

/**
 * The inline session policy that down-scopes a customer session to one access, compact.
 * Without `repositories`, everything is on `"Resource": "*"`: GetAuthorizationToken only
 * accepts `*`, and the role's own permissions policy already scopes the repositories (a
 * session can never exceed it). With them (private registries), the image actions are on
 * those repositories' ARNs only.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session
 */
export function sessionPolicy(access: Access, kind: RegistryKind, repositories?: RepositoryScope): string {
  if (repositories) return scopedSessionPolicy(access, repositories, POLICY_VERSION);
  return canonicalJson({
    Version: POLICY_VERSION,
    Statement: [
      {
        Sid: `EcrAuth${access === 'pull' ? 'Pull' : 'Push'}`,
        Effect: 'Allow',
        Action: [...ecrActions(access, kind)],
        Resource: '*',
      },
    ],
  });
}

/**
 * A session policy that allows nothing: for sessions opened only to learn whether STS
 * grants them (onboarding checks), so the credentials are worthless even if they leaked.
 */
export const DENY_ALL_SESSION_POLICY = canonicalJson({
  Version: POLICY_VERSION,
  Statement: [{ Effect: 'Deny', Action: '*', Resource: '*' }],
});
