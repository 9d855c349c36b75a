import type { Partition } from '../registry/partition';
import { canonicalJson } from './canonical-json';
import { AUTH_TOKEN_ACTIONS, Access, repositoryActions } from './ecr-actions';

/** STS's limit on an inline session policy, in characters of plain text. */
const POLICY_MAX_LENGTH = 2048;

/**
 * ECR's repository name rule (CreateRepository), with `*` allowed wherever a letter or digit
 * is, as IAM's wildcard: `team/app`, `team/base-*`, `*`.
 * https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreateRepository.html
 */
export const REPOSITORY_NAME = /^(?:[a-z0-9*]+(?:[._-][a-z0-9*]+)*\/)*[a-z0-9*]+(?:[._-][a-z0-9*]+)*$/;
export const REPOSITORY_NAME_MAX_LENGTH = 256;
export const REPOSITORY_NAME_RULE =
  'lower-case letters and digits in /-separated parts, joined inside a part by one of . _ - (* as a wildcard), at most 256 characters';

/** Where the repositories live: the registry's partition, region and account. */
export interface RepositoryScope {
  readonly partition: Partition;
  readonly region: string;
  readonly account: string;
  readonly names: readonly string[];
}

export function repositoryArn(scope: Omit<RepositoryScope, 'names'>, name: string): string {
  return `arn:${scope.partition}:ecr:${scope.region}:${scope.account}:repository/${name}`;
}

/**
 * The inline session policy of a repository-scoped session: the login action on `*` (it
 * accepts nothing else), the access's image actions on those repositories' ARNs only.
 * Private registries only: an ECR Public host names no account to build ARNs with.
 */
export function scopedSessionPolicy(access: Access, scope: RepositoryScope, version: string): string {
  return canonicalJson({
    Version: version,
    Statement: [
      { Sid: 'EcrAuthLogin', Effect: 'Allow', Action: AUTH_TOKEN_ACTIONS.private[0], Resource: '*' },
      {
        Sid: access === 'pull' ? 'EcrAuthPull' : 'EcrAuthPush',
        Effect: 'Allow',
        Action: [...repositoryActions(access, 'private')],
        Resource: scope.names.map((n) => repositoryArn(scope, n)),
      },
    ],
  });
}

// The worst case the bound is computed for: the longest partition, a region longer than any
// AWS has opened (14 characters today: ap-southeast-1, us-isob-east-1), push's actions.
const WORST: Omit<RepositoryScope, 'names'> = {
  partition: 'aws-us-gov',
  region: 'x'.repeat(16),
  account: '0'.repeat(12),
};
const WORST_NO_NAMES = scopedSessionPolicy('push', { ...WORST, names: [] }, '2012-10-17').length;

/** What one more repository adds to the policy besides its name: its ARN's prefix, quotes and a comma. */
export const REPOSITORY_COST = repositoryArn(WORST, '').length + 3;

/**
 * The names' budget: the sum of (name length + REPOSITORY_COST) over the list may not exceed
 * it, so the policy fits STS's 2048 characters for every partition, region and account.
 */
export const REPOSITORY_BUDGET = POLICY_MAX_LENGTH - WORST_NO_NAMES + 1; // the first ARN has no comma

/** The budget a list of names uses. */
export function repositoryBudgetUsed(names: readonly string[]): number {
  return names.reduce((sum, n) => sum + n.length + REPOSITORY_COST, 0);
}

/** The message of a list over the budget: the bound, said with examples a build can use. */
export const REPOSITORY_BUDGET_RULE =
  `the session policy must fit STS's 2048 characters: each repository counts its name's length plus ${REPOSITORY_COST}, ` +
  `and together at most ${REPOSITORY_BUDGET} (for example ${Math.floor(REPOSITORY_BUDGET / (REPOSITORY_COST + 30))} names of 30 characters); use a wildcard (team/*) for more`;

/** The names in one canonical order without repeats: order and duplicates do not change the session. */
export function canonicalRepositories(names: readonly string[]): string[] {
  return [...new Set(names)].sort();
}
