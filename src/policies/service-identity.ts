import { isPartition } from '../registry/partition';
import { ACCOUNT_ID_SOURCE, IAM_NAME_CHAR } from '../registry/aws-names';

// arn:<partition>:sts::<account>:assumed-role/<role name>/<session name>
const ASSUMED_ROLE = new RegExp(
  `^arn:([a-z-]+):sts::(${ACCOUNT_ID_SOURCE}):assumed-role/(${IAM_NAME_CHAR}{1,64})/[^/]+$`,
);

/**
 * The principal to name in a trust policy for the identity `sts:GetCallerIdentity` reports.
 * An assumed-role session (ECS task role, EKS pod role, instance profile) becomes its IAM
 * role ARN; a user or anything else is kept as it is.
 *
 * The session ARN does not carry the role's IAM path: for a role with a path
 * (`role/team/name`) the path must be added by hand.
 */
export function trustPrincipalOf(callerArn: string): string {
  const m = ASSUMED_ROLE.exec(callerArn);
  if (!m || !isPartition(m[1])) return callerArn;
  return `arn:${m[1]}:iam::${m[2]}:role/${m[3]}`;
}
