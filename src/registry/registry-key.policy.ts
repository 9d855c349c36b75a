import { EcrAuthError } from '../errors/ecr-auth.error';
import { Partition } from './partition';
import { RegistryHost } from './registry-host';
import { RegistryKey } from './registry-key';

/** What the deployment demands of every key. */
export interface KeyPolicyOptions {
  /** The partition this deployment's own identity (and STS) lives in. */
  servicePartition: Partition;
  /** `ECR_AUTH_REQUIRE_EXTERNAL_ID`: refuse roles given without an external ID. */
  requireExternalId: boolean;
}

function mismatch(message: string): never {
  throw new EcrAuthError('PARTITION_MISMATCH', message);
}

/**
 * Checks that a classified key may be used for a registry by this deployment: credentials
 * only work inside their own partition, and one deployment serves one partition.
 * Partition checks come first, then the external-ID requirement.
 *
 * @throws EcrAuthError `PARTITION_MISMATCH` when the role's partition differs from the
 *   registry's, or the registry's (hence the role's) from the service's.
 * @throws EcrAuthError `EXTERNAL_ID_REQUIRED` for a role without an external ID while
 *   `requireExternalId` is set.
 */
export function assertKeyFitsRegistry(key: RegistryKey, host: RegistryHost, opts: KeyPolicyOptions): void {
  if (key.kind === 'role' && key.role.partition !== host.partition) {
    mismatch(
      `Role ${key.role.arn} is in partition ${key.role.partition} but registry ${host.host} is in partition ${host.partition}: ` +
        `credentials only work inside their own partition. Send a role from the registry's partition (${host.partition}).`,
    );
  }
  if (host.partition !== opts.servicePartition) {
    mismatch(
      `Registry ${host.host} is in partition ${host.partition} but this deployment serves partition ${opts.servicePartition}: ` +
        `one deployment serves one partition. Send the request to the ecr-auth deployment for ${host.partition}.`,
    );
  }
  if (key.kind === 'role' && key.externalId === undefined && opts.requireExternalId) {
    throw new EcrAuthError(
      'EXTERNAL_ID_REQUIRED',
      `Role ${key.role.arn} was given without an external ID, and this service requires one: the customer's trust policy ` +
        `should demand an sts:ExternalId condition, and the caller must send that external ID as externalId ` +
        `(or as password with a role ARN in userName).`,
    );
  }
}
