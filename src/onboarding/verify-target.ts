import { assertAccountReachable } from '../auth/account-bounds';
import type { Caller } from '../auth/caller';
import type { AppConfig } from '../config/app-config';
import { EcrAuthError } from '../errors/ecr-auth.error';
import { RegistryHost, parseRegistryHost } from '../registry/registry-host';
import { classifyRegistryKey } from '../registry/registry-key';
import { assertKeyFitsRegistry } from '../registry/registry-key.policy';
import type { RoleArn } from '../registry/role-arn';
import type { VerifyBody } from './onboarding-request';

/** A customer role to check, refused locally if POST /registry-auth would refuse it. */
export interface VerifyTarget {
  readonly host: RegistryHost;
  readonly role: RoleArn;
  readonly externalId: string;
}

/**
 * The local refusals of POST /registry-auth, for a role key that must carry an external ID
 * (the check is about it): the registry host, the role ARN and external ID, the partitions,
 * then the accounts the deployment and the API token may serve.
 *
 * @throws EcrAuthError UNSUPPORTED_REGISTRY, INVALID_REGISTRY_KEY, PARTITION_MISMATCH,
 *   EXTERNAL_ID_REQUIRED, ACCOUNT_NOT_ALLOWED.
 */
export function verifyTarget(
  body: VerifyBody,
  config: Pick<AppConfig, 'partition' | 'allowedAccounts'>,
  caller?: Caller,
): VerifyTarget {
  const host = parseRegistryHost(body.registry);
  const key = classifyRegistryKey({ roleArn: body.roleArn, externalId: body.externalId });
  if (key.kind !== 'role') throw new EcrAuthError('INVALID_REGISTRY_KEY', 'roleArn must be an IAM role ARN.');
  assertKeyFitsRegistry(key, host, { servicePartition: config.partition, requireExternalId: true });
  assertAccountReachable(key.role.account, config.allowedAccounts, caller);
  return { host, role: key.role, externalId: key.externalId! };
}
