import { EcrAuthError } from '../errors/ecr-auth.error';
import type { Partition } from '../registry/partition';
import { checkExternalId } from '../registry/registry-key';
import { parseRoleArn } from '../registry/role-arn';
import { canonicalJson } from './canonical-json';
import type { Access, RegistryKind } from './ecr-actions';
import {
  PolicyDocument,
  SessionFeatures,
  customerPermissionsPolicy,
  customerTrustPolicy,
  jumpRolePermissionsPolicy,
  serviceIdentityPolicy,
} from './onboarding-documents';
import { MAX_REPOSITORY_ARNS, REPOSITORY_ARN_FORM, repositoryArnPartition } from './repository-arn';
import { ACCOUNT_ID_SOURCE } from '../registry/aws-names';

/** Everything that decides the onboarding documents. Same inputs, same bytes. */
export interface OnboardingInputs {
  readonly externalId: string;
  readonly access: Access;
  readonly kind: RegistryKind;
  readonly repositoryArns: readonly string[];
  /** The partition the deployment serves. */
  readonly partition: Partition;
  /** Two hops: the jump role customers trust. */
  readonly jumpRoleArn?: string;
  /** One hop (no jump role): the service identity customers trust. Ignored with a jump role. */
  readonly serviceIdentityArn?: string;
  /** What the deployment sets on customer sessions (SourceIdentity, tags); none by default. */
  readonly features?: SessionFeatures;
}

/** The documents of `GET /onboarding/policies` and `ecr-auth policies`. */
export interface OnboardingDocuments {
  readonly customerTrustPolicy: PolicyDocument;
  readonly customerPermissionsPolicy: PolicyDocument;
  /** `null` without a jump role (one hop): there is no jump role to grant anything. */
  readonly jumpRolePermissionsPolicy: PolicyDocument | null;
  readonly serviceIdentityPolicy: PolicyDocument;
}

/** The input names as the caller knows them (query parameters, CLI flags), for messages. */
export type FieldLabel = (field: 'externalId' | 'repositoryArn' | 'jumpRoleArn' | 'serviceIdentityArn') => string;

const SERVICE_IDENTITY = new RegExp(`^arn:([a-z-]+):(?:iam|sts)::${ACCOUNT_ID_SOURCE}:[\\x21-\\x7e]{1,600}$`);

/** Whether a string has the shape of an IAM or STS principal ARN the service may run as. */
export function isServiceIdentityArn(arn: string): boolean {
  return SERVICE_IDENTITY.test(arn);
}

/**
 * Checks what the customer's documents are made of: the external ID, the kind and the
 * repository ARNs. Needs no principal, so a caller can refuse bad input before looking one up.
 *
 * @throws EcrAuthError `INVALID_REGISTRY_KEY` for an external ID outside STS's rules;
 *   `INVALID_REQUEST` for a malformed repository ARN or too many of them; `PARTITION_MISMATCH`
 *   for a repository of another partition. Messages never echo a value.
 */
export function checkCustomerInputs(
  inputs: Omit<OnboardingInputs, 'jumpRoleArn' | 'serviceIdentityArn'>,
  label: FieldLabel = (f) => f,
): void {
  try {
    checkExternalId(inputs.externalId);
  } catch (e) {
    // Its message names the field `externalId`: say it the caller's way.
    throw e instanceof EcrAuthError
      ? new EcrAuthError(e.code, e.message.replace(/^externalId/, label('externalId')))
      : e;
  }
  const { partition, kind } = inputs;
  if (kind === 'public' && partition !== 'aws') {
    throw new EcrAuthError(
      'PARTITION_MISMATCH',
      `ECR Public exists in partition aws only, and this deployment serves partition ${partition}.`,
    );
  }
  if (inputs.repositoryArns.length > MAX_REPOSITORY_ARNS) {
    throw new EcrAuthError(
      'INVALID_REQUEST',
      `At most ${MAX_REPOSITORY_ARNS} ${label('repositoryArn')} values: use a wildcard (repository/team-*) for more.`,
    );
  }
  inputs.repositoryArns.forEach((arn, i) => {
    const p = repositoryArnPartition(arn, kind);
    const which = `${label('repositoryArn')} (value ${i + 1})`;
    if (!p)
      throw new EcrAuthError(
        'INVALID_REQUEST',
        `${which} is not ${kind === 'private' ? 'an Amazon ECR' : 'an ECR Public'} repository ARN: expected ${REPOSITORY_ARN_FORM[kind]}, wildcards * allowed in region, account and name.`,
      );
    if (p !== partition)
      throw new EcrAuthError(
        'PARTITION_MISMATCH',
        `${which} is in partition ${p}, but this deployment serves partition ${partition}.`,
      );
  });
}

/**
 * Checks every input (see `checkCustomerInputs`) and the principal customers will trust: the
 * jump role, or without one the service identity.
 *
 * @throws EcrAuthError as `checkCustomerInputs`; `INVALID_REQUEST` for a malformed role or
 *   identity ARN, or neither; `PARTITION_MISMATCH` for one of another partition.
 */
export function checkOnboardingInputs(inputs: OnboardingInputs, label: FieldLabel = (f) => f): void {
  checkCustomerInputs(inputs, label);
  const { partition } = inputs;
  if (inputs.jumpRoleArn !== undefined) {
    const role = parseRoleArn(inputs.jumpRoleArn);
    if (!role)
      throw new EcrAuthError(
        'INVALID_REQUEST',
        `${label('jumpRoleArn')} is not an IAM role ARN: expected arn:<partition>:iam::<12-digit account>:role/<name>.`,
      );
    if (role.partition !== partition)
      throw new EcrAuthError(
        'PARTITION_MISMATCH',
        `${label('jumpRoleArn')} is in partition ${role.partition}, but the documents are for partition ${partition}.`,
      );
    return;
  }
  const identity =
    inputs.serviceIdentityArn === undefined ? undefined : SERVICE_IDENTITY.exec(inputs.serviceIdentityArn);
  if (!identity) {
    throw new EcrAuthError(
      'INVALID_REQUEST',
      `Without a jump role, customers trust the service identity itself: give ${label('serviceIdentityArn')} as an IAM role or user ARN (or ${label('jumpRoleArn')} for two hops).`,
    );
  }
  if (identity[1] !== partition)
    throw new EcrAuthError(
      'PARTITION_MISMATCH',
      `${label('serviceIdentityArn')} is in partition ${identity[1]}, but the documents are for partition ${partition}.`,
    );
}

/** Builds the four documents from checked inputs (see `checkOnboardingInputs`). Pure. */
export function onboardingDocuments(inputs: OnboardingInputs): OnboardingDocuments {
  const trustedPrincipal = inputs.jumpRoleArn ?? inputs.serviceIdentityArn;
  if (trustedPrincipal === undefined) throw new TypeError('onboardingDocuments: no principal to trust');
  return {
    customerTrustPolicy: customerTrustPolicy({
      trustedPrincipal,
      externalId: inputs.externalId,
      features: inputs.features,
    }),
    customerPermissionsPolicy: customerPermissionsPolicy(inputs.access, {
      kind: inputs.kind,
      partition: inputs.partition,
      repositoryArns: inputs.repositoryArns,
    }),
    jumpRolePermissionsPolicy: inputs.jumpRoleArn ? jumpRolePermissionsPolicy(inputs.partition, inputs.features) : null,
    serviceIdentityPolicy: serviceIdentityPolicy(inputs.jumpRoleArn, inputs.partition, inputs.features),
  };
}

/**
 * The documents as the endpoint answers and the CLI prints them: checked, built, written as
 * canonical JSON indented by two spaces, with a final newline.
 */
export function renderOnboardingDocuments(inputs: OnboardingInputs, label?: FieldLabel): string {
  checkOnboardingInputs(inputs, label);
  const docs = onboardingDocuments(inputs);
  return `${canonicalJson({ ...docs }, 2)}\n`;
}
