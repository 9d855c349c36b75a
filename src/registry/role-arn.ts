import { Partition, isPartition } from './partition';
import { ACCOUNT_ID_SOURCE, IAM_NAME_CHAR } from './aws-names';

/** An IAM role ARN, split into its parts. */
export interface RoleArn {
  /** The ARN exactly as given (already canonical: every part is case-sensitive). */
  arn: string;
  partition: Partition;
  /** The role's 12-digit account id. */
  account: string;
  /** IAM path: `/` or `/…/`. */
  path: string;
  /** Role name, 1–64 of `[\w+=,.@-]`. */
  name: string;
}

/** The form a role ARN must take, for messages. */
export const ROLE_ARN_FORM = 'arn:<partition>:iam::<12-digit account>:role/<name>';

// IAM's own rules: path `/` or `/[\x21-\x7E]+/` (≤ 512), name `[\w+=,.@-]{1,64}`.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_Role.html
const ROLE_ARN = new RegExp(
  `^arn:([a-z-]+):iam::(${ACCOUNT_ID_SOURCE}):role(\\/(?:[\\x21-\\x7e]+\\/)?)(${IAM_NAME_CHAR}{1,64})$`,
);
const MAX_PATH_LENGTH = 512;
// arn: + longest partition + iam:: + account + :role + path + name, with room to spare.
const MAX_ARN_LENGTH = 700;

/**
 * Parses an IAM role ARN (`arn:<partition>:iam::<12-digit account>:role/<path><name>`) in
 * any partition. Returns `undefined` for anything else: STS assumed-role ARNs, user ARNs,
 * other services, unknown partitions, wildcards, whitespace.
 */
export function parseRoleArn(s: string): RoleArn | undefined {
  if (typeof s !== 'string' || s.length > MAX_ARN_LENGTH) return undefined;
  // A wildcard makes an IAM policy pattern, never one role, even where IAM's path
  // grammar would let the character through.
  if (/[*?]/.test(s)) return undefined;
  const m = ROLE_ARN.exec(s);
  if (!m) return undefined;
  const [partition, account, path, name] = [m[1], m[2], m[3], m[4]];
  if (!isPartition(partition) || path.length > MAX_PATH_LENGTH) return undefined;
  return { arn: s, partition, account, path, name };
}
