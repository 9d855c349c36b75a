import { Partition, isPartition } from '../registry/partition';
import type { RegistryKind } from './ecr-actions';
import { ACCOUNT_ID_SOURCE } from '../registry/aws-names';

/** At most this many repository ARNs per document: keeps it far below IAM's policy size limits. */
export const MAX_REPOSITORY_ARNS = 20;

// Repository names: lower-case [a-z0-9] components joined by . _ - and / (ECR's
// CreateRepository rule), plus IAM's wildcards * and ?. Region and account may be `*`.
const NAME = '[a-z0-9._/*?-]{1,256}';
const PRIVATE = new RegExp(`^arn:([a-z-]+):ecr:([a-z0-9-]{1,32}|\\*):(${ACCOUNT_ID_SOURCE}|\\*):repository/${NAME}$`);
const PUBLIC = new RegExp(`^arn:([a-z-]+):ecr-public::(${ACCOUNT_ID_SOURCE}|\\*):repository/${NAME}$`);

/** The form a repository ARN must take, per kind (for messages). */
export const REPOSITORY_ARN_FORM: Readonly<Record<RegistryKind, string>> = {
  private: 'arn:<partition>:ecr:<region>:<12-digit account>:repository/<name>',
  public: 'arn:<partition>:ecr-public::<12-digit account>:repository/<name>',
};

/**
 * The partition of an Amazon ECR (or, for `public`, ECR Public) repository ARN, or
 * `undefined` when `arn` is not one. Wildcards are allowed in region, account and name.
 */
export function repositoryArnPartition(arn: string, kind: RegistryKind): Partition | undefined {
  if (typeof arn !== 'string') return undefined;
  const m = (kind === 'private' ? PRIVATE : PUBLIC).exec(arn);
  return m && isPartition(m[1]) ? m[1] : undefined;
}

/** The resource that stands for "every repository" when no repository ARN is given. */
export function allRepositories(kind: RegistryKind, partition: Partition): string {
  return kind === 'private' ? `arn:${partition}:ecr:*:*:repository/*` : `arn:${partition}:ecr-public::*:repository/*`;
}
