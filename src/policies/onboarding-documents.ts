import type { Partition } from '../registry/partition';
import type { JsonValue } from './canonical-json';
import { AUTH_TOKEN_ACTIONS, Access, RegistryKind, repositoryActions } from './ecr-actions';
import { allRepositories } from './repository-arn';
import { POLICY_VERSION } from './session-policy';

/** An IAM policy document, as plain JSON (write it with `canonicalJson`). */
export interface PolicyDocument {
  readonly Version: string;
  readonly Statement: readonly PolicyStatement[];
  readonly [key: string]: JsonValue;
}

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: { readonly AWS: string };
  readonly Action: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly Condition?: { readonly [operator: string]: { readonly [key: string]: string } };
  readonly [key: string]: JsonValue;
}

const ASSUME_ROLE = 'sts:AssumeRole';

/** What the service sets on customer sessions besides assuming them. */
export interface SessionFeatures {
  /** ECR_AUTH_SOURCE_IDENTITY=caller: needs sts:SetSourceIdentity. */
  readonly sourceIdentity?: boolean;
  /** ECR_AUTH_SESSION_TAG_KEYS lists keys: needs sts:TagSession. */
  readonly sessionTags?: boolean;
}

/** The actions the features need on the customer role, besides sts:AssumeRole; none when off. */
export function sessionFeatureActions(features: SessionFeatures = {}): string[] {
  return [
    ...(features.sourceIdentity ? ['sts:SetSourceIdentity'] : []),
    ...(features.sessionTags ? ['sts:TagSession'] : []),
  ];
}

function policy(...statements: PolicyStatement[]): PolicyDocument {
  return { Version: POLICY_VERSION, Statement: statements };
}

/** One value stays a string, several a list: the shape AWS's own examples use. */
function oneOrMany(values: readonly string[]): string | readonly string[] {
  return values.length === 1 ? values[0] : [...values];
}

function externalIdCondition(externalId: string): PolicyStatement['Condition'] {
  return { StringEquals: { 'sts:ExternalId': externalId } };
}

/**
 * The customer role's trust policy: `trustedPrincipal` (the jump role, or the service's own
 * identity when there is no jump role) may assume it, only with the customer's external ID.
 * The external ID condition is what closes the confused deputy.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_common-scenarios_third-party.html
 */
export function customerTrustPolicy(input: {
  trustedPrincipal: string;
  externalId: string;
  features?: SessionFeatures;
}): PolicyDocument {
  const assume: PolicyStatement = {
    Sid: 'EcrAuthAssume',
    Effect: 'Allow',
    Principal: { AWS: input.trustedPrincipal },
    Action: ASSUME_ROLE,
    Condition: externalIdCondition(input.externalId),
  };
  const extra = sessionFeatureActions(input.features);
  // A statement of its own: these actions assume nothing by themselves, and the external-ID
  // condition stays on sts:AssumeRole, where it closes the confused deputy.
  if (extra.length === 0) return policy(assume);
  return policy(assume, {
    Sid: 'EcrAuthSessionContext',
    Effect: 'Allow',
    Principal: { AWS: input.trustedPrincipal },
    Action: oneOrMany(extra),
  });
}

/**
 * The customer role's permissions policy: the login action on `*` (it accepts nothing else),
 * the access's repository actions on the given repositories, or on every repository when
 * none is given.
 */
export function customerPermissionsPolicy(
  access: Access,
  options: { kind?: RegistryKind; partition?: Partition; repositoryArns?: readonly string[] } = {},
): PolicyDocument {
  const kind = options.kind ?? 'private';
  const repositories = options.repositoryArns?.length
    ? options.repositoryArns
    : [allRepositories(kind, options.partition ?? 'aws')];
  return policy(
    { Sid: 'EcrAuthLogin', Effect: 'Allow', Action: oneOrMany(AUTH_TOKEN_ACTIONS[kind]), Resource: '*' },
    {
      Sid: access === 'pull' ? 'EcrAuthPull' : 'EcrAuthPush',
      Effect: 'Allow',
      Action: [...repositoryActions(access, kind)],
      Resource: oneOrMany(repositories),
    },
  );
}

/**
 * The jump role's permissions policy: it may assume customer roles. Broad by default (any
 * role in any account of the partition: a customer's trust policy decides who gets in);
 * narrow it to the customers' role ARNs or accounts where the list is known.
 */
export function jumpRolePermissionsPolicy(partition: Partition, features?: SessionFeatures): PolicyDocument {
  // Role chaining: the caller's permissions must allow sts:SetSourceIdentity / sts:TagSession too.
  return policy({
    Sid: 'EcrAuthAssumeCustomerRoles',
    Effect: 'Allow',
    Action: oneOrMany([ASSUME_ROLE, ...sessionFeatureActions(features)]),
    Resource: `arn:${partition}:iam::*:role/*`,
  });
}

/**
 * The service identity's permissions policy: it may assume the jump role, or, with no jump
 * role (one hop), the customer roles directly.
 */
export function serviceIdentityPolicy(
  jumpRoleArn: string | undefined,
  partition: Partition,
  features?: SessionFeatures,
): PolicyDocument {
  // The jump hop carries no SourceIdentity or tags; with one hop, the customer hop does.
  return jumpRoleArn
    ? policy({ Sid: 'EcrAuthAssumeJumpRole', Effect: 'Allow', Action: ASSUME_ROLE, Resource: jumpRoleArn })
    : policy({
        Sid: 'EcrAuthAssumeCustomerRoles',
        Effect: 'Allow',
        Action: oneOrMany([ASSUME_ROLE, ...sessionFeatureActions(features)]),
        Resource: `arn:${partition}:iam::*:role/*`,
      });
}

/**
 * The jump role's trust policy: the service identity may assume it, with
 * `ECR_AUTH_JUMP_EXTERNAL_ID` when one is configured.
 */
export function jumpRoleTrustPolicy(input: { serviceIdentityArn: string; externalId?: string }): PolicyDocument {
  return policy({
    Sid: 'EcrAuthServiceIdentity',
    Effect: 'Allow',
    Principal: { AWS: input.serviceIdentityArn },
    Action: ASSUME_ROLE,
    ...(input.externalId ? { Condition: externalIdCondition(input.externalId) } : {}),
  });
}
